"""Named errors of the database layer."""


class DatabaseError(Exception):
    """A database could not be opened or used; the message says how to fix it."""
