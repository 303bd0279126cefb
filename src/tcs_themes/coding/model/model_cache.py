"""A checked model file's contents, cached without pickle, so coding needs neither skops nor scikit-learn.

Importing skops imports all of scikit-learn (about a second and a half of the
two or three that ``tcs-themes code`` takes on a few comments), and reading a
model with skops' audit takes half a second more. Yet coding with a fitted
model needs only its arrays: once a model file has passed every check of
:func:`~tcs_themes.coding.model.model_io.read_bundle` (skops' allow-list among
them), what scoring reads of it is written to the user cache
(:mod:`tcs_themes.cache`) as plain NumPy arrays and JSON, under a key that
covers the SHA-256 of the file's bytes (the very bytes that were checked), the
toolkit's version and the source of the modules that write and read the entry.
Later runs with the same file read the entry with ``allow_pickle=False`` and
build a :class:`~tcs_themes.coding.model.predictor.ThemePredictor`, which scores
exactly as the loaded ``ThemeClassifier`` does.

Nothing in an entry can run code: it holds numbers, strings and a JSON
document, and is turned into one fixed type whose fields are checked for type
and shape. A changed, replaced or unknown model file has another hash, so it
misses the cache and goes through the full checks. Only models scored by the
fast word path are cached (no character n-grams, word n-grams of at most two
words: what ``train``'s presets build but ``accurate``); the codebook stored in
a model is not copied: the entry records its fingerprint and is used only with
the codebook in use when that fingerprint is the same.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from tcs_themes import __version__
from tcs_themes.cache import cache_key, read_arrays, source_digest, write_arrays
from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.model.features import FittedWords, word_lookup
from tcs_themes.coding.model.predictor import ThemePredictor

_KIND = "model"
#: The modules whose code decides what an entry holds and how it scores.
_MODULES = ("model_cache.py", "predictor.py", "features.py")
#: The bundle's values besides the model (see ``model_io._BUNDLE_KEYS``), kept in the entry's JSON.
_BUNDLE_VALUES = ("format", "theme_ids", "codebook_name", "codebook_fingerprint", "rule_weight", "explain_top")
#: The model's arrays kept in the entry, with the dtype kinds each may have.
_ARRAYS = {"classes_": "U", "coef_": "f", "intercept_": "f", "sigmoid_": "f", "thresholds_": "f",
           "support_": "i", "weak_support_": "i"}  # fmt: skip
#: The model's other attributes prediction reads, kept in the entry's JSON, with their types.
_SETTINGS: dict[str, type | tuple[type, ...]] = {
    "uses_rules_": bool, "rule_value": (int, float), "context_columns": list, "context_categories_": list,
    "context_value": (int, float), "context_interactions": (int, float), "interaction_columns": (list, type(None)),
    "embeddings": (str, type(None)), "embedding_weight": (int, float), "at_least_one_": bool,
    "primary_prior_power_": (int, float), "relative_cut_": (int, float),
    "opening_weight_": (int, float), "use_context": (bool, str), "context_frequencies_": (list, type(None)),
}  # fmt: skip


def file_digest(data: bytes) -> str:
    """Return the SHA-256 of a model file's bytes (the cache entry's identity)."""
    return hashlib.sha256(data).hexdigest()


def _entry_key(digest: str) -> str:
    code = source_digest(Path(__file__).parent, _MODULES)
    return cache_key({"model": digest, "toolkit": __version__, "numpy": np.__version__, "code": code})


def cacheable(model: Any) -> bool:
    """Whether ``model`` (a loaded ``ThemeClassifier``) scores by the fast word path alone, so it can be cached."""
    return getattr(model, "char_vectorizer_", None) is None and word_lookup(model.word_vectorizer_) is not None


def write_cached_bundle(digest: str, bundle: dict[str, Any]) -> None:
    """Cache what scoring needs of ``bundle``, read from a model file with SHA-256 ``digest`` that passed every check.

    Best effort, like every cache write: a model that is not a :func:`cacheable` ``ThemeClassifier``
    with plain values (JSON numbers, strings and lists; arrays of numbers or text) is not cached.
    """
    model = bundle["model"]
    try:
        if not isinstance(model, ThemePredictor) or not cacheable(model):
            return
        words = model.word_vectorizer_
        settings = {name: getattr(model, name) for name in _SETTINGS}
        for name in ("context_columns", "interaction_columns"):
            settings[name] = None if settings[name] is None else list(settings[name])
        document = json.dumps({
            "bundle": {name: bundle[name] for name in _BUNDLE_VALUES},
            "settings": settings,
            "codebook_fingerprint": None if model.codebook is None else model.codebook.fingerprint(),
            "words": {"token_pattern": words.token_pattern, "ngram_range": list(words.ngram_range)},
        })  # fmt: skip
        arrays = {name: np.asarray(getattr(model, name)) for name in _ARRAYS}
        if any(array.dtype.kind != kind for array, kind in zip(arrays.values(), _ARRAYS.values())):
            return
        arrays["terms"] = np.array(list(words.vocabulary_), dtype=str)
        arrays["columns"] = np.fromiter(words.vocabulary_.values(), dtype=np.int64, count=len(words.vocabulary_))
        arrays["idf_"] = np.asarray(words.idf_)
    except (AttributeError, KeyError, TypeError, ValueError):  # not a model this toolkit trained: load it every time
        return
    write_arrays(_KIND, _entry_key(digest), {**arrays, "document": np.str_(document)})


def read_cached_bundle(digest: str, codebook: Codebook) -> dict[str, Any] | None:
    """Return the cached bundle of the model file with SHA-256 ``digest`` (its model a
    :class:`ThemePredictor`), or None when there is no usable entry (then load the file).

    An entry is usable only with a codebook whose fingerprint is the one the model stored.
    """
    arrays = read_arrays(_KIND, _entry_key(digest))
    if arrays is None:
        return None
    try:
        return _bundle(arrays, codebook)
    except (KeyError, ValueError, TypeError, IndexError):
        return None


def _bundle(arrays: dict[str, np.ndarray], codebook: Codebook) -> dict[str, Any] | None:
    """Rebuild the bundle from an entry's arrays, or return None if anything is out of place."""
    document = json.loads(str(arrays["document"]))
    settings, words = document["settings"], document["words"]
    if document["codebook_fingerprint"] not in (None, codebook.fingerprint()):
        return None
    if set(settings) != set(_SETTINGS) or not all(isinstance(settings[k], t) for k, t in _SETTINGS.items()):
        return None
    fitted = {name: arrays[name] for name in _ARRAYS}
    if any(fitted[name].dtype.kind != kind for name, kind in _ARRAYS.items()):
        return None
    k = len(fitted["classes_"])
    terms, columns, idf = arrays["terms"], arrays["columns"], arrays["idf_"]
    n_terms = len(terms)
    shapes_ok = (
        fitted["classes_"].shape == (k,) and fitted["sigmoid_"].shape == (k, 2)
        and all(fitted[name].shape == (k,) for name in ("intercept_", "thresholds_", "support_", "weak_support_"))
        and fitted["coef_"].ndim == 2 and fitted["coef_"].shape[0] == k and fitted["coef_"].shape[1] >= n_terms
        and columns.shape == (n_terms,) and idf.shape == (n_terms,) and terms.dtype.kind == "U"
        and columns.dtype.kind == "i" and idf.dtype.kind == "f"
        and np.array_equal(np.sort(columns), np.arange(n_terms))
    )  # fmt: skip
    shares = settings["context_frequencies_"]
    shares_ok = shares is None or [len(s) for s in shares] == [len(c) for c in settings["context_categories_"]]
    if not (shapes_ok and shares_ok):
        return None
    model = ThemePredictor()
    model.__dict__.update(fitted)
    model.__dict__.update(settings)
    model.context_columns = tuple(settings["context_columns"])
    model.codebook = None if document["codebook_fingerprint"] is None else codebook
    model.char_vectorizer_ = None
    model.word_vectorizer_ = FittedWords(
        vocabulary_=dict(zip(terms.tolist(), columns.tolist())),
        idf_=idf,
        token_pattern=str(words["token_pattern"]),
        ngram_range=(int(words["ngram_range"][0]), int(words["ngram_range"][1])),
    )
    if word_lookup(model.word_vectorizer_) is None:
        return None
    return {**document["bundle"], "model": model}
