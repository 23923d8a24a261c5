"""Adapters that touch the disk or a database: corpus loading, index cache, the state
(SQLite or PostgreSQL)."""
