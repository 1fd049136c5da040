"""Generic spiders driven by the outlet registry; one per kind of discovery source."""
