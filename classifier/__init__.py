"""Label stored articles: relevance, tone and frames with their evidence (issue 3)."""
