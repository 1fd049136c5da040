"""Item pipelines, one concern per module; their order is set (and explained) in settings.py."""
