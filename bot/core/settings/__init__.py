"""Per-server settings (``/settings``): their typed model, how values are written
as text, and how a channel's inline mode is decided. Pure."""
