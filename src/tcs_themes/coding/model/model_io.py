"""Save and load trained models: skops files (never pickle) checked against an allow-list.

A model file holds the fitted classifier, the theme ids and the fingerprint of
the codebook it was trained with. Loading

* refuses a file larger than
  :data:`~tcs_themes.coding.model.model_file_checks.MAX_MODEL_BYTES`, not a
  skops file, or whose zip or array headers declare more than that (checked
  before anything is unpacked),
* refuses a file holding any type outside :data:`TRUSTED_TYPES` (skops'
  defaults plus this explicit allow-list), naming the types,
* refuses a bundle missing any of its parts (a minimal or malformed skops file),
* refuses a model whose codebook fingerprint differs from the codebook in use,

each with a one-line :class:`~tcs_themes.errors.ModelError` naming the file.

The file's bytes are read once: what is checked is what skops loads and what
is hashed. ``load_model(..., for_scoring=True)`` (what the commands that code
use) reads a file whose bytes passed these checks before from the trusted model
cache (:mod:`~tcs_themes.coding.model.model_cache`), without skops or
scikit-learn; the codebook check is made either way.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from typing import Any

from tcs_themes.atomic_write import atomic_path
from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.model.embeddings import sentence_encoder
from tcs_themes.coding.decisions import METHODS
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.coding.model.model_cache import file_digest, read_cached_bundle, write_cached_bundle
from tcs_themes.coding.model.model_card import ModelCard, write_card
from tcs_themes.coding.model.model_file_checks import MAX_MODEL_BYTES, model_file_problem
from tcs_themes.coding.model.predictor import ThemePredictor
from tcs_themes.errors import MissingExtraError, ModelError

MODEL_FORMAT = "tcs-themes-model/1"
MODEL_SUFFIX = ".skops"

#: Types a model file may contain beyond those skops trusts by default.
TRUSTED_TYPES: tuple[str, ...] = (
    "tcs_themes.coding.model.classifier.ThemeClassifier",
    "tcs_themes.codebook.model.Codebook",
    "tcs_themes.codebook.model.Pattern",
    "tcs_themes.codebook.model.Theme",
)

#: What a model bundle holds besides its format, and the type of each value.
_BUNDLE_KEYS: dict[str, type | tuple[type, ...]] = {
    "model": object, "theme_ids": list, "codebook_name": str, "codebook_fingerprint": str,
    "rule_weight": (int, float), "explain_top": int,
}

#: Where the classifier lived before the coding package was split into ``rules/`` and ``model/``;
#: model files saved then name it so, and still load.
_FORMER_CLASSIFIER_MODULE = "tcs_themes.coding.classifier"

#: The model shipped with the package, trained on the sample consultation.
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "tcs-sample.skops"


def save_model(coder: HybridCoder, path: str | Path, card: ModelCard | None = None) -> Path:
    """Save a fitted coder's model with skops, and its card beside it.

    Parameters
    ----------
    coder : HybridCoder
        A fitted coder (any method but ``rules``, which has no model).
    path : str or Path
        The model file; should end in ``.skops``.
    card : ModelCard, optional
        Written as ``<name>.card.json`` and ``<name>.card.md`` beside the model.

    Returns
    -------
    Path
        The model file.
    """
    target = Path(path)
    if target.suffix != MODEL_SUFFIX:
        raise ModelError(str(target), f"a model file must end in {MODEL_SUFFIX}")
    model = getattr(coder, "model_", None) or coder.model
    if model is None or coder.method == "rules" or not hasattr(model, "thresholds_"):
        raise ModelError(str(target), "the coder has no trained model to save; fit it with method 'hybrid' or 'model'")
    if type(model) is ThemePredictor:
        raise ModelError(str(target), "the coder was loaded for scoring only; load it with load_model() to save it")
    bundle = {
        "format": MODEL_FORMAT,
        "model": model,
        "theme_ids": list(coder.codebook.ids),
        "codebook_name": coder.codebook.name,
        "codebook_fingerprint": coder.codebook.fingerprint(),
        "rule_weight": float(coder.rule_weight),
        "explain_top": int(coder.explain_top),
    }
    import skops.io as sio

    with atomic_path(target, error=ModelError) as temporary:
        sio.dump(bundle, temporary, compression=zipfile.ZIP_DEFLATED)
    if card is not None:
        write_card(card, target)
    return target


def read_bundle(path: str | Path) -> dict[str, Any]:
    """Load a model file's contents after checking it is a skops file with trusted types only.

    Raises
    ------
    ModelError
        If the file is missing, not a skops file, holds untrusted types, or is
        not a tcs-themes model.
    """
    return _checked_bundle(Path(path), _model_bytes(Path(path)))


def _model_bytes(source: Path) -> bytes:
    """Return a model file's bytes (read once: what is checked is what is loaded and hashed)."""
    if not source.is_file():
        raise ModelError(str(source), "model file not found; check the path or train one with 'tcs-themes train'")
    if source.stat().st_size > MAX_MODEL_BYTES:
        raise ModelError(str(source), f"refused: larger than {MAX_MODEL_BYTES >> 20:,} MB; retrain it")
    try:
        return source.read_bytes()
    except OSError as error:
        raise ModelError(str(source), f"the file cannot be read ({type(error).__name__})") from None


def _checked_bundle(source: Path, data: bytes) -> dict[str, Any]:
    """Check the model file ``source``'s bytes ``data`` and load them with skops (see :func:`read_bundle`)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ModelError(str(source), "not a skops model file; models are saved by 'tcs-themes train' (pickle files are refused)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = model_file_problem(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        problem = f"the zip cannot be read ({type(error).__name__})"
    if problem:
        raise ModelError(str(source), f"refused: {problem}; only load models saved by 'tcs-themes train', or retrain it")
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    from tcs_themes.coding.model import classifier as classifier_module

    trusted = [*TRUSTED_TYPES, f"{_FORMER_CLASSIFIER_MODULE}.ThemeClassifier"]
    sys.modules.setdefault(_FORMER_CLASSIFIER_MODULE, classifier_module)
    try:
        bundle = sio.load(io.BytesIO(data), trusted=trusted)
    except UntrustedTypesFoundException:
        try:
            refused = sorted(set(sio.get_untrusted_types(data=data)) - set(trusted))
        except Exception:  # noqa: BLE001 - listing the types of a damaged file can fail too
            refused = ["types that cannot be listed"]
        raise ModelError(
            str(source),
            f"refused: the file contains untrusted types ({', '.join(refused)}); only load models you trained",
        ) from None
    except Exception as error:  # noqa: BLE001 - skops raises many kinds on a damaged file
        raise ModelError(str(source), f"not a valid skops model file, or damaged ({type(error).__name__}); retrain it") from None
    if not isinstance(bundle, dict) or bundle.get("format") != MODEL_FORMAT:
        raise ModelError(str(source), f"not a tcs-themes model (expected format {MODEL_FORMAT})")
    wrong = [key for key, kind in _BUNDLE_KEYS.items() if key not in bundle or not isinstance(bundle[key], kind)]
    if wrong or not hasattr(bundle["model"], "thresholds_"):
        missing = ", ".join(wrong) or "a trained model"
        raise ModelError(str(source), f"an incomplete tcs-themes model (missing or wrong: {missing}); retrain it")
    return bundle


def _scoring_bundle(source: Path, codebook: Codebook) -> dict[str, Any]:
    """Return the model file's bundle for scoring: from the trusted model cache when this very file has passed
    :func:`read_bundle`'s checks before (its model a ``ThemePredictor``,
    :mod:`~tcs_themes.coding.model.model_cache`), else read and checked by :func:`read_bundle`, and cached."""
    data = _model_bytes(source)
    digest = file_digest(data)
    bundle = read_cached_bundle(digest, codebook)
    if bundle is None:
        bundle = _checked_bundle(source, data)
        write_cached_bundle(digest, bundle)
    return bundle


def load_model(
    path: str | Path | None,
    codebook: Codebook,
    *,
    method: str = "hybrid",
    batch_size: int = 2000,
    for_scoring: bool = False,
) -> HybridCoder:
    """Load a model file as a ready-to-use :class:`HybridCoder` for ``codebook``.

    Parameters
    ----------
    path : str, Path or None
        The ``.skops`` model file; None loads the default model shipped with
        the package (trained on the sample consultation).
    codebook : Codebook
        The codebook in use; it must be the one the model was trained with.
    method : {"hybrid", "rules", "model"}, default "hybrid"
        How the coder combines rules and model.
    batch_size : int, default 2000
        Comments coded at a time.
    for_scoring : bool, default False
        The coder will only code, predict, explain and give meanings (what
        ``code``, ``evaluate`` and ``run`` do): a file that passed the checks
        before is then read from the trusted model cache, without skops or
        scikit-learn, its model a
        :class:`~tcs_themes.coding.model.predictor.ThemePredictor` that
        scores exactly as the ``ThemeClassifier`` but cannot be refitted or
        saved. False: the model is the ``ThemeClassifier`` itself.

    Raises
    ------
    ModelError
        If the file is refused (see :func:`read_bundle`) or was trained with
        another codebook.
    """
    source = Path(path) if path is not None else DEFAULT_MODEL
    bundle = _scoring_bundle(source, codebook) if for_scoring else read_bundle(source)
    expected = codebook.fingerprint()
    if bundle["codebook_fingerprint"] != expected or list(bundle["theme_ids"]) != codebook.ids:
        raise ModelError(
            str(source),
            f"the model was trained with codebook '{bundle['codebook_name']}' "
            f"(fingerprint {bundle['codebook_fingerprint'][:12]}) but the codebook in use is "
            f"'{codebook.name}' ({expected[:12]}); use the codebook it was trained with, or retrain "
            "with 'tcs-themes train --codebook ...'",
        )
    encoder = getattr(bundle["model"], "embeddings", None)
    if encoder is not None:
        try:
            sentence_encoder(encoder)
        except (MissingExtraError, ValueError) as error:  # not installed, or a name no release knows
            raise ModelError(str(source), f"the model reads sentence embeddings: {error}") from None
    return HybridCoder(
        codebook,
        model=bundle["model"],
        method=method,
        rule_weight=bundle["rule_weight"],
        explain_top=bundle["explain_top"],
        batch_size=batch_size,
    )


#: ``coder_for``'s methods: the hybrid coder's, and ``codebook`` (rules plus similarity to the codebook, no model).
CODER_METHODS = (*METHODS, "codebook")
#: How much one rule match counts in codebook-only coding: enough to clear any similarity threshold,
#: so every theme the rules find is given, as with the rules alone.
CODEBOOK_RULE_WEIGHT = 0.9


def codebook_coder(codebook: Codebook, *, batch_size: int = 2000) -> HybridCoder:
    """Return a coder that needs no trained model: the codebook's rules plus meaning.

    A theme is given where its rules match, or where the comment's static sentence embedding is
    close enough to one of the theme's phrases (name, description clauses, sub-themes, examples;
    :class:`~tcs_themes.coding.model.meaning.CodebookSimilarity`, threshold chosen from the
    codebook's own phrases); a comment of four or more words nothing reaches gets its nearest
    theme, flagged low confidence. For a new codebook before any comment has been coded.
    """
    from tcs_themes.coding.model.meaning import CodebookSimilarity

    return HybridCoder(
        codebook, model=CodebookSimilarity(codebook), rule_weight=CODEBOOK_RULE_WEIGHT, batch_size=batch_size
    )


def coder_for(
    codebook: Codebook,
    model: str | Path | None = None,
    *,
    method: str = "hybrid",
    batch_size: int = 2000,
) -> HybridCoder:
    """Return a ready coder for ``method`` (one of :data:`CODER_METHODS`): the rules alone for
    ``"rules"`` and rules plus similarity to the codebook for ``"codebook"`` (no model file is
    read for either), otherwise the model file (None: the shipped default) loaded by :func:`load_model`
    for scoring (from the trusted model cache when the file passed the checks before).
    """
    if method == "rules":
        return HybridCoder(codebook, method="rules", batch_size=batch_size)
    if method == "codebook":
        return codebook_coder(codebook, batch_size=batch_size)
    return load_model(model, codebook, method=method, batch_size=batch_size, for_scoring=True)
