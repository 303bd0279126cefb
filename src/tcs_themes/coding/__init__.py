"""Coding comments against a codebook: the rule coder (``rules/``), the trained model (``model/``) and what joins them.

The names below are imported from their modules on first use, so importing a
module of this package does not load spaCy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "make_nlp": "tcs_themes.coding.rules.nlp",
    "RuleCoder": "tcs_themes.coding.rules.coder",
    "RuleMatch": "tcs_themes.coding.rules.coder",
    "evidence_by_theme": "tcs_themes.coding.rules.coder",
}

__all__ = ["RuleCoder", "RuleMatch", "evidence_by_theme", "make_nlp"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from tcs_themes.coding.rules.coder import RuleCoder, RuleMatch, evidence_by_theme
    from tcs_themes.coding.rules.nlp import make_nlp


def __getattr__(name: str) -> Any:
    """Import a name from its module the first time it is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tcs_themes.coding' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
