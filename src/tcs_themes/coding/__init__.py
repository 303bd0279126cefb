"""Coding comments against a codebook: rules, the classifier, the hybrid coder and its I/O."""

from __future__ import annotations

from tcs_themes.coding.nlp import make_nlp
from tcs_themes.coding.rules import RuleCoder, RuleMatch, evidence_by_theme

__all__ = ["RuleCoder", "RuleMatch", "evidence_by_theme", "make_nlp"]
