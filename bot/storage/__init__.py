"""Adapters that touch the disk: corpus loading, index cache, SQLite state."""
