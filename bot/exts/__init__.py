"""Discord extensions: one feature per module."""
