"""The model card: what a trained model was trained on and how well it did, as JSON and Markdown.

The card sits beside the model file (``model.skops`` -> ``model.card.json`` and
``model.card.md``). It records the codebook fingerprint, a hash and the size of
the training data, example counts and weak labels per theme, cross-validated
per-theme precision, recall and F1, library versions, the date and the
parameters, so anyone can see what a model is and whether to trust it.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from tcs_themes import __version__
from tcs_themes.atomic_write import write_bytes_atomic

LIBRARIES = ("scikit-learn", "spacy", "skops", "numpy", "scipy", "pandas")


def library_versions(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Return the versions of Python, tcs-themes and the libraries a model depends on (and ``extra`` ones)."""
    versions = {"python": platform.python_version(), "tcs-themes": __version__}
    for name in (*LIBRARIES, *extra):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def training_data_hash(
    texts: list[str], Y: np.ndarray, theme_ids: list[str], context: Mapping[str, Sequence[str]] | None = None
) -> str:
    """Return a SHA-256 of the training texts, context columns (if any) and codes (order-sensitive, format-independent)."""
    digest = hashlib.sha256()
    digest.update(json.dumps(theme_ids).encode("utf-8"))
    for text, row in zip(texts, np.asarray(Y, dtype=np.int8), strict=True):
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
        digest.update(row.tobytes())
    for name, values in (context or {}).items():
        digest.update(json.dumps([name, list(values)]).encode("utf-8"))
    return digest.hexdigest()


@dataclass
class ThemeCard:
    """One theme's line on the card."""

    theme_id: str
    name: str
    coded_examples: int
    weak_examples: int = 0
    weak_rule_matches: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    support: int = 0
    threshold: float | None = None

    @property
    def weak_labels(self) -> bool:
        """True when weak labels were added for the theme."""
        return bool(self.weak_examples or self.weak_rule_matches)


@dataclass
class ModelCard:
    """Everything worth knowing about a trained model.

    Attributes
    ----------
    codebook_name, codebook_fingerprint : str
        The codebook the model was trained with (it refuses any other).
    training_files : list of str
        The coded files, as given.
    training_hash : str
        SHA-256 of the training texts and codes (:func:`training_data_hash`).
    n_comments : int
        Coded comments trained on (before weak labels).
    themes : list of ThemeCard
        Per theme: examples, weak labels, cross-validated figures, threshold.
    averages : dict
        Cross-validated micro and macro precision, recall and F1.
    cross_validation : str
        How the figures were estimated (folds, grouping).
    params : dict
        The coder's and the classifier's parameters.
    versions : dict
        Library versions at training time.
    created : str
        ISO date of training.
    relative_cut : float or None
        The model's relative cut of further themes (``relative_cut_``: a theme beyond a comment's
        top one is kept only at this share of its score or more; 0: none); None on cards written
        before it existed.
    opening_weight : float or None
        How much a comment's first sentence weighs in its main theme (``opening_weight_``; 0:
        none); None on cards written before it existed.
    context_choice : dict or None
        For a context chosen inside the training data (``use_context="auto"``, e.g. the default
        preset's question): ``columns``, whether they are ``used``, and the held-out micro- and
        macro-F1 ``with`` and ``without`` them; None otherwise and on cards written before it.
    """

    codebook_name: str
    codebook_fingerprint: str
    training_files: list[str]
    training_hash: str
    n_comments: int
    themes: list[ThemeCard]
    averages: dict[str, float] = field(default_factory=dict)
    cross_validation: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=library_versions)
    created: str = field(default_factory=lambda: date.today().isoformat())
    relative_cut: float | None = None
    opening_weight: float | None = None
    context_choice: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the card as JSON-ready data."""
        data = asdict(self)
        for theme, card in zip(data["themes"], self.themes, strict=True):
            theme["weak_labels"] = card.weak_labels
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelCard:
        """Rebuild a card from :meth:`to_dict` output."""
        data = dict(data)
        themes = [ThemeCard(**{k: v for k, v in t.items() if k != "weak_labels"}) for t in data.pop("themes")]
        return cls(themes=themes, **data)

    def to_markdown(self) -> str:
        """Return a readable summary of the card."""

        def fmt(value: float | None) -> str:
            return "-" if value is None else f"{value:.2f}"

        lines = [
            f"# Model card: codebook '{self.codebook_name}'",
            "",
            f"- Trained: {self.created}, tcs-themes {self.versions.get('tcs-themes', '?')}",
            f"- Codebook fingerprint: `{self.codebook_fingerprint}`",
            f"- Training data: {self.n_comments} coded comments from "
            f"{', '.join(self.training_files) or 'a table'}; SHA-256 `{self.training_hash}`",
            f"- Cross-validation: {self.cross_validation}",
            "- Averages: "
            + ", ".join(f"{name} {value:.2f}" for name, value in self.averages.items()),
            *_setting_line(self.relative_cut, *_CUT_LINES),
            *_setting_line(self.opening_weight, *_OPENING_LINES),
            *_context_line(self.context_choice),
            "- Libraries: " + ", ".join(f"{k} {v}" for k, v in self.versions.items()),
            "",
            "| theme | coded examples | weak labels | precision | recall | F1 | support | threshold |",
            "|---|---:|---|---:|---:|---:|---:|---:|",
        ]
        for theme in self.themes:
            weak = (
                f"yes: {theme.weak_examples} codebook examples, {theme.weak_rule_matches} rule matches"
                if theme.weak_labels
                else "no"
            )
            lines.append(
                f"| {theme.theme_id} | {theme.coded_examples} | {weak} | {fmt(theme.precision)} | "
                f"{fmt(theme.recall)} | {fmt(theme.f1)} | {theme.support} | {fmt(theme.threshold)} |"
            )
        lines += ["", "## Parameters", "", "```json", json.dumps(self.params, indent=2, sort_keys=True), "```", ""]
        return "\n".join(lines)


def _setting_line(value: float | None, off: str, on: str) -> list[str]:
    """The card's line on a setting chosen inside the training data: none for cards from before it
    (``value`` None), ``off`` when it is 0, else ``on`` with ``{value}`` filled in."""
    if value is None:
        return []
    return [off if value <= 0 else on.format(value=f"{value:g}")]


def _context_line(choice: dict[str, Any] | None) -> list[str]:
    """The card's line on a context chosen inside the training data (none when there was no choice)."""
    if not choice:
        return []
    columns = ", ".join(choice["columns"])
    figures = "; ".join(
        f"{way} {micro:.3f} / {macro:.3f}" for way, (micro, macro) in choice["held_out_micro_macro_f1"].items()
    )
    verdict = "read" if choice["used"] else "not read (it did not help)"
    return [f"- Context ({columns}): {verdict}; held-out micro- / macro-F1 inside the training data: {figures}"]


#: The card's lines on the relative cut of further themes and the first sentence's weight in the main theme.
_CUT_LINES = (
    "- Further themes: every theme that reaches its threshold is given (no relative cut)",
    "- Further themes: beyond a comment's highest-scoring theme, another is given only when its score is "
    "at least {value} times that one's (relative cut chosen inside the training data)",
)
_OPENING_LINES = (
    "- Main theme: the given theme with the highest score (the first sentence has no extra weight)",
    "- Main theme: the given theme with the highest score plus {value} times its score for the "
    "comment's first sentence (weight chosen inside the training data)",
)


def card_paths(model_path: str | Path) -> tuple[Path, Path]:
    """Return the JSON and Markdown card paths beside ``model_path``."""
    path = Path(model_path)
    stem = path.with_suffix("") if path.suffix else path
    return stem.with_name(stem.name + ".card.json"), stem.with_name(stem.name + ".card.md")


def write_card(card: ModelCard, model_path: str | Path) -> tuple[Path, Path]:
    """Write ``card`` beside ``model_path`` as JSON and Markdown; return both paths."""
    json_path, md_path = card_paths(model_path)
    write_bytes_atomic(json_path, (json.dumps(card.to_dict(), indent=2, sort_keys=True) + "\n").encode("utf-8"))
    write_bytes_atomic(md_path, card.to_markdown().encode("utf-8"))
    return json_path, md_path


def read_card(model_path: str | Path) -> ModelCard | None:
    """Return the card beside ``model_path``, or None when there is none."""
    json_path, _ = card_paths(model_path)
    if not json_path.is_file():
        return None
    return ModelCard.from_dict(json.loads(json_path.read_text(encoding="utf-8")))
