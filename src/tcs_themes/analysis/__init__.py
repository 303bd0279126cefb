"""Analysis of coded comments: evaluation against an analyst's codes."""
