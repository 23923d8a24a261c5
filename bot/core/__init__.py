"""The pure core, grouped by feature: quotes, facts, daily posts and rendering.

Nothing in this package imports discord, reads the clock or touches files; the
adapters (``bot.storage``, ``bot.cli``, ``bot.exts``, the shell) do that around it.
"""
