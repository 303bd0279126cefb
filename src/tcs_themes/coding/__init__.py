"""Coding comments against a codebook: the spaCy pipeline and the rule coder."""

from __future__ import annotations

from tcs_themes.coding.rules.nlp import make_nlp
from tcs_themes.coding.rules.coder import RuleCoder, RuleMatch, evidence_by_theme

__all__ = ["RuleCoder", "RuleMatch", "evidence_by_theme", "make_nlp"]
