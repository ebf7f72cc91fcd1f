"""Search: the query box's results, facet filters and saved searches."""
