"""Named errors of the crawler."""


class CrawlerError(Exception):
    """Base of the crawler's errors; the message names the problem and the fix."""


class RegistryError(CrawlerError):
    """An outlet registry file is missing or invalid."""
