"""Compare the media groups: claims, statistics, charts and rendered reports (issue 4)."""
