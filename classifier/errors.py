"""Named errors of the classifier."""


class ClassifierError(Exception):
    """A model, data set or input that cannot be used; the message says how to fix it."""
