"""Code a comments table held in memory: the DataFrame-in, DataFrame-out form of ``tcs-themes code``.

``tcs-themes code`` streams files to files (:func:`tcs_themes.coding.stream.code_files`);
a notebook usually holds the comments already, as a DataFrame from
:func:`tcs_themes.ingest.ingest` or :func:`tcs_themes.tables.read_table`, and wants
the coded table back. :func:`code` is that step.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.analyst_codes import code_table, problem_messages
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.errors import CodingInputError, LabelsWarning


def code(
    comments: pd.DataFrame,
    coder: HybridCoder | None = None,
    *,
    codebook: Codebook | None = None,
    model: str | Path | None = None,
    method: str = "hybrid",
    text_column: str = "text",
) -> pd.DataFrame:
    """Code a comments table and return the coded table.

    Codes the comments already have (an analyst's ``analyst_codes``, or a main
    and further-themes column) are kept as their codes (``code_source``
    ``analyst``); the machine's own themes are in ``machine_themes`` for every
    comment. An analyst's label not in the codebook gives a
    :class:`~tcs_themes.errors.LabelsWarning` naming the row, and that comment
    keeps the machine's codes.

    Parameters
    ----------
    comments : pandas.DataFrame
        The comments table (``IngestResult.comments``) or any table with a text column.
    coder : HybridCoder, optional
        A fitted (or loaded) coder. Default: the model file ``model`` (or the
        default model shipped with the package) for ``codebook``; with
        ``method="rules"``, the codebook's rules alone.
    codebook : Codebook, optional
        Used only when ``coder`` is not given (default: the bundled TCS codebook).
    model : str or Path, optional
        A ``.skops`` model file, used only when ``coder`` is not given.
    method : {"hybrid", "rules", "model", "codebook"}, default "hybrid"
        How a coder built here combines rules and model (``codebook``: rules plus
        similarity to the codebook, no model; see ``model_io.codebook_coder``).
    text_column : str, default "text"
        The column holding the comment text.

    Returns
    -------
    pandas.DataFrame
        Every input column, unchanged and in order, then the coded columns
        (``themes``, ``primary_theme``, ``confidence``, ``n_themes``, ``sources``,
        ``subthemes``, ``evidence``, ``code_source``, ``machine_themes``, ``low_confidence``)
        and a ``score_<theme_id>`` per theme; one row
        per input row, in order, never dropped (no theme fits: ``uncoded``).

    Raises
    ------
    CodingInputError
        If ``comments`` has no ``text_column`` (or no context column the model reads) or ``method`` is unknown.

    Examples
    --------
    >>> coded = code(pd.DataFrame({"text": ["Too much jargon in the paper"]}))  # doctest: +SKIP
    >>> coded[["text", "themes", "evidence"]]  # doctest: +SKIP
    """
    if text_column not in comments.columns:
        raise CodingInputError("comments", f"no '{text_column}' column; pass text_column= the column with the comments")
    if coder is None:
        coder = _default_coder(codebook, model, method)
    try:
        coded, problems = code_table(coder, comments, text_column)
    except ValueError as error:
        raise CodingInputError("comments", str(error)) from None
    for message in problem_messages(problems):
        warnings.warn(message, LabelsWarning, stacklevel=2)
    return coded


def _default_coder(codebook: Codebook | None, model: str | Path | None, method: str) -> HybridCoder:
    from tcs_themes.codebook import load_codebook

    from tcs_themes.coding.model.model_io import CODER_METHODS, coder_for  # skops: imported only when coding

    if method not in CODER_METHODS:
        raise CodingInputError("method", f"must be one of {', '.join(CODER_METHODS)}, not '{method}'")
    book = codebook if codebook is not None else load_codebook()

    return coder_for(book, model, method=method)
