"""The rule coder: the spaCy pipeline, codebook phrases expanded and indexed, token patterns, and :class:`RuleCoder`."""
