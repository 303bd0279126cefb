"""Analysis of coded comments: theme counts, illustrative quotes and evaluation against an analyst's codes."""
