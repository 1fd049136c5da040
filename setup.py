"""For Scrapyd only: `scrapyd-deploy` builds the project's egg with `setup.py bdist_egg`.
Everything about the package is in pyproject.toml (including the `scrapy` entry point)."""

from setuptools import setup

setup()
