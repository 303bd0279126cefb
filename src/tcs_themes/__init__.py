"""tcs-themes: code consultation feedback against a codebook of themes.

The public Python API is re-exported here; see ``docs/api.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> module, imported on first use so ``tcs-themes --version`` stays fast.
_LAZY = {
    "HybridCoder": "tcs_themes.coding.hybrid",
    "read_labels": "tcs_themes.coding.labels",
    "train_model": "tcs_themes.coding.training",
    "save_model": "tcs_themes.coding.model_io",
    "load_model": "tcs_themes.coding.model_io",
    "code_files": "tcs_themes.coding.stream",
    "coded_frame": "tcs_themes.coding.coded_table",
    "evaluate_coding": "tcs_themes.analysis.evaluation",
    "evaluate_files": "tcs_themes.analysis.evaluate_files",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tcs_themes' has no attribute {name!r}")


__all__ = ["__version__", *_LAZY]
