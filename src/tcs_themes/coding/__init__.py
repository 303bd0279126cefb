"""Coding comments against a codebook: rules, the classifier, the hybrid coder and its I/O."""
