"""The stages of crawler.extract, one module per concern; crawler.extract is the public front."""
