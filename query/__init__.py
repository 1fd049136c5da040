"""Querying the database: read-only SQL, full-text search, exports, Datasette (reads db only)."""
