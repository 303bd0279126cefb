"""Codebooks: load, validate and exchange (YAML, REFI-QDA) the themes comments are coded against."""

from __future__ import annotations

from tcs_themes.codebook.load import default_codebook_path, load_codebook
from tcs_themes.codebook.model import Codebook, Pattern, Theme
from tcs_themes.codebook.refi_qda import export_qdc, import_qdc, theme_guid
from tcs_themes.codebook.write import codebook_to_yaml, write_codebook_yaml

__all__ = [
    "Codebook",
    "Pattern",
    "Theme",
    "codebook_to_yaml",
    "default_codebook_path",
    "export_qdc",
    "import_qdc",
    "load_codebook",
    "theme_guid",
    "write_codebook_yaml",
]
