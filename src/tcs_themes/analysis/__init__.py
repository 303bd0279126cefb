"""Analysis of coded comments: theme counts and illustrative quotes."""
