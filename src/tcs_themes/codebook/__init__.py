"""Codebooks: load, validate and exchange (YAML, REFI-QDA) the themes comments are coded against."""

from __future__ import annotations

from tcs_themes.codebook.model import Codebook, Pattern, Theme

__all__ = ["Codebook", "Pattern", "Theme"]
