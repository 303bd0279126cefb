"""How far coders agree: per theme and on the main theme, with bootstrap intervals (``tcs-themes agree``).

Two or more codings of the same comments (analysts, or an analyst and the
machine: the machine is a coder like any other) are lined up by
:func:`tcs_themes.analysis.codings.align_codings`. Then, for each theme, every
comment is a yes/no decision per coder, and for the main theme a choice among
the themes (``uncoded`` included). For each of these:

* **percentage agreement**: the share of comments on which every coder made
  the same decision;
* **Cohen's kappa**: agreement corrected for chance, for two coders; with three
  or more, the mean of Cohen's kappa over the pairs of coders (Light's kappa);
* **Krippendorff's alpha** (nominal), for any number of coders, from the
  ``krippendorff`` package.

Each has a 95% interval from a bootstrap over comments: the comments are
resampled with replacement ``n_boot`` times (fixed seed, so the same inputs
give the same intervals) and the interval is the 2.5th to 97.5th percentile of
the resampled values. The point estimates come from ``krippendorff`` and
scikit-learn; the resamples reuse the same formulas in closed form, vectorised
over the resamples (:func:`nominal_agreement`), which the tests check against
both packages. A measure is undefined (NaN, shown as ``-``) when every coder
gave every comment the same answer, e.g. for a theme nobody used.

Models are known to give more themes than people do, so the mean number of
themes per comment of each coder is reported too.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from tcs_themes.analysis.codings import Aligned, Coding, align_codings, read_coding
from tcs_themes.codebook.model import Codebook
from tcs_themes.errors import InputFileError, UsageError
from tcs_themes.schema import UNCODED

if TYPE_CHECKING:
    from openpyxl import Workbook

#: Bootstrap resamples and seed used by default.
N_BOOT = 1000
SEED = 0
#: Resampled comments held in memory at once (resamples x comments), to bound memory on large inputs.
_CHUNK_CELLS = 2_000_000
MEASURES = ("agreement", "kappa", "alpha")


@dataclass
class Agreement:
    """The result of :func:`agreement`.

    Attributes
    ----------
    coders : list of str
        The coders' names, in the order given.
    n_comments : int
        The comments every coding has (the ones compared).
    matched_on : str
        ``comment_id`` or ``text``.
    per_theme : pandas.DataFrame
        One row per codebook theme: ``theme_id``, ``theme``, ``coded_by_<coder>``
        (comments each coder gave it), and ``agreement``, ``kappa``, ``alpha``,
        each with ``_low`` and ``_high`` (the 95% interval).
    main_theme : pandas.DataFrame
        ``measure`` (agreement, kappa, alpha), ``value``, ``low``, ``high`` for
        the main theme; empty when a coding has no main theme (0/1 columns only).
    coders_table : pandas.DataFrame
        Per coder: ``coder``, ``source``, ``comments`` (read), ``matched``,
        ``left_out``, ``themes_per_comment`` (mean over the matched comments),
        ``uncoded`` (matched comments given no theme).
    n_boot, seed : int
        The bootstrap's resamples and seed.
    notes : list of str
        What could not be computed, and why.
    """

    coders: list[str]
    n_comments: int
    matched_on: str
    per_theme: pd.DataFrame
    main_theme: pd.DataFrame
    coders_table: pd.DataFrame
    n_boot: int
    seed: int
    notes: list[str] = field(default_factory=list)

    @property
    def kappa_name(self) -> str:
        """``Cohen's kappa`` for two coders, ``Light's kappa`` (mean pairwise Cohen's) for more."""
        return "Cohen's kappa" if len(self.coders) == 2 else "Light's kappa (mean pairwise Cohen's)"

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name: ``per_theme``, ``main_theme``, ``coders``."""
        return {"per_theme": self.per_theme, "main_theme": self.main_theme, "coders": self.coders_table}


def _resample_weights(n: int, n_boot: int, seed: int) -> Iterator[np.ndarray]:
    """Yield, in chunks, how many times each comment is drawn in each resample: arrays (resamples, n)."""
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        draws = rng.integers(0, n, size=(size, n))
        flat = (np.arange(size)[:, None] * n + draws).ravel()
        yield np.bincount(flat, minlength=size * n).reshape(size, n).astype(np.float64)


def nominal_agreement(codes: np.ndarray, n_categories: int, weights: np.ndarray) -> dict[str, np.ndarray]:
    """Percentage agreement, kappa and nominal alpha of weighted comments, for each row of ``weights``.

    Parameters
    ----------
    codes : ndarray of int, shape (n, m)
        Each comment's category (0 .. ``n_categories`` - 1) from each of ``m`` coders.
    n_categories : int
        The number of categories.
    weights : ndarray of float, shape (b, n)
        How many times each comment counts, per resample (a row of ones is the data as it is).

    Returns
    -------
    dict of str to ndarray of shape (b,)
        ``agreement``, ``kappa`` (Cohen's for two coders, the mean over pairs
        for more) and ``alpha``; NaN where undefined.
    """
    m = codes.shape[1]
    onehots = [np.eye(n_categories)[codes[:, i]] for i in range(m)]
    counts = np.sum(onehots, axis=0)  # (n, categories): how many coders chose each category
    total = weights.sum(axis=1)
    values = m * total
    per_category = weights @ counts
    disagreeing_pairs = weights @ ((m * m - (counts**2).sum(axis=1)) / (m - 1))
    expected = values**2 - (per_category**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(expected > 0, 1.0 - (values - 1.0) * disagreeing_pairs / expected, np.nan)
        agreement = weights @ (counts.max(axis=1) == m).astype(np.float64) / total
        kappas = []
        for i, j in itertools.combinations(range(m), 2):
            observed = weights @ (codes[:, i] == codes[:, j]).astype(np.float64) / total
            chance = ((weights @ onehots[i]) * (weights @ onehots[j])).sum(axis=1) / total**2
            kappas.append(np.where(chance < 1.0 - 1e-12, (observed - chance) / (1.0 - chance), np.nan))
    stacked = np.vstack(kappas)
    kappa = np.full(stacked.shape[1], np.nan)
    defined = ~np.isnan(stacked).all(axis=0)
    kappa[defined] = np.nanmean(stacked[:, defined], axis=0)
    return {"agreement": agreement, "kappa": kappa, "alpha": alpha}


def point_agreement(codes: np.ndarray, n_categories: int) -> dict[str, float]:
    """Percentage agreement, kappa (scikit-learn) and nominal alpha (``krippendorff``) of ``codes`` (n, m)."""
    m = codes.shape[1]
    counts = np.zeros((len(codes), n_categories), dtype=np.int64)
    for i in range(m):
        np.add.at(counts, (np.arange(len(codes)), codes[:, i]), 1)
    used = (counts.sum(axis=0) > 0).sum()
    alpha = float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")) if used > 1 else np.nan
    kappas = []
    for i, j in itertools.combinations(range(m), 2):
        if len(np.unique(codes[:, [i, j]])) < 2:
            continue  # both coders gave one and the same answer throughout: kappa is undefined
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # one coder constant: kappa is 0, which scikit-learn warns about
            value = cohen_kappa_score(codes[:, i], codes[:, j])
        kappas.append(float(value) if np.isfinite(value) else np.nan)
    kappa = float(np.nanmean(kappas)) if kappas and not np.isnan(kappas).all() else np.nan
    return {"agreement": float((counts.max(axis=1) == m).mean()), "kappa": kappa, "alpha": alpha}


def _interval(samples: np.ndarray) -> tuple[float, float]:
    finite = samples[~np.isnan(samples)]
    if not len(finite):
        return np.nan, np.nan
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def _measures(groups: dict[str, tuple[np.ndarray, int]], n: int, n_boot: int, seed: int) -> dict[str, dict[str, float]]:
    """Point estimate and bootstrap interval of every measure for each group of codes (same resamples for all)."""
    samples: dict[str, dict[str, list[np.ndarray]]] = {key: {m: [] for m in MEASURES} for key in groups}
    for weights in _resample_weights(n, n_boot, seed):
        for key, (codes, n_categories) in groups.items():
            for measure, values in nominal_agreement(codes, n_categories, weights).items():
                samples[key][measure].append(values)
    out: dict[str, dict[str, float]] = {}
    for key, (codes, n_categories) in groups.items():
        point = point_agreement(codes, n_categories)
        row: dict[str, float] = {}
        for measure in MEASURES:
            low, high = _interval(np.concatenate(samples[key][measure])) if n_boot else (np.nan, np.nan)
            row.update({measure: point[measure], f"{measure}_low": low, f"{measure}_high": high})
        row = {key: round(value, 4) for key, value in row.items()}
        out[key] = row
    return out


def agreement(
    codings: Sequence[Coding], codebook: Codebook, *, n_boot: int = N_BOOT, seed: int = SEED
) -> Agreement:
    """Measure how far two or more codings of the same comments agree, per theme and on the main theme.

    Parameters
    ----------
    codings : sequence of Coding
        From :func:`tcs_themes.analysis.codings.read_coding`; at least two, with different names.
    codebook : Codebook
        The codebook of their themes.
    n_boot : int, default 1000
        Bootstrap resamples for the 95% intervals (0: no intervals).
    seed : int, default 0
        The bootstrap's random seed.

    Returns
    -------
    Agreement

    Raises
    ------
    UsageError
        If fewer than two codings, two with the same name, or a negative ``n_boot``.
    CodingInputError
        If no comment is in every coding.
    """
    if n_boot < 0:
        raise UsageError(f"--bootstrap must be 0 or more, not {n_boot}")
    aligned = align_codings(codings)
    kept = aligned.codings
    n = aligned.n
    groups = {theme_id: (np.stack([c.Y[:, t] for c in kept], axis=1).astype(np.int64), 2) for t, theme_id in enumerate(codebook.ids)}
    notes: list[str] = []
    no_main = [c.name for c in kept if c.primary is None]
    if no_main:
        notes.append(f"no main theme for {', '.join(no_main)} (0/1 theme columns only), so no main-theme agreement")
    else:
        categories = [*codebook.ids, UNCODED]
        position = {theme_id: i for i, theme_id in enumerate(categories)}
        groups["__main__"] = (np.stack([[position.get(p, len(categories) - 1) for p in c.primary] for c in kept], axis=1), len(categories))  # type: ignore[union-attr]
    results = _measures(groups, n, n_boot, seed)
    per_theme = pd.DataFrame(
        [
            {
                "theme_id": theme_id,
                "theme": codebook.name_of(theme_id),
                **{f"coded_by_{c.name}": int(c.Y[:, t].sum()) for c in kept},
                **results[theme_id],
            }
            for t, theme_id in enumerate(codebook.ids)
        ]
    )
    main = results.get("__main__")
    main_theme = pd.DataFrame(
        [{"measure": m, "value": main[m], "low": main[f"{m}_low"], "high": main[f"{m}_high"]} for m in MEASURES]
        if main
        else [],
        columns=["measure", "value", "low", "high"],
    )
    return Agreement(
        coders=[c.name for c in kept],
        n_comments=n,
        matched_on=aligned.matched_on,
        per_theme=per_theme,
        main_theme=main_theme,
        coders_table=_coders_table(codings, aligned),
        n_boot=n_boot,
        seed=seed,
        notes=notes,
    )


def _coders_table(codings: Sequence[Coding], aligned: Aligned) -> pd.DataFrame:
    rows = []
    for original, kept in zip(codings, aligned.codings, strict=True):
        themes = kept.Y.sum(axis=1)
        rows.append(
            {
                "coder": kept.name,
                "source": original.source,
                "comments": len(original),
                "matched": len(kept),
                "left_out": aligned.left_out[kept.name],
                "themes_per_comment": round(float(themes.mean()), 3) if len(kept) else np.nan,
                "uncoded": int((themes == 0).sum()),
            }
        )
    return pd.DataFrame(rows)


def agreement_files(
    specs: Sequence[str | Path],
    codebook: Codebook,
    *,
    names: Sequence[str] | None = None,
    text_column: str | None = None,
    n_boot: int = N_BOOT,
    seed: int = SEED,
) -> Agreement:
    """Read codings from files and measure their agreement (what ``tcs-themes agree`` runs).

    Parameters
    ----------
    specs : sequence of str or Path
        Coded tables (``coded.parquet``, or ``coded.parquet:machine_themes`` for
        another theme column) and analyst-coded files; see :func:`read_coding`.
    codebook : Codebook
    names : sequence of str, optional
        The coders' names, one per spec (default: from the file names).
    text_column : str, optional
        The comment column (see :func:`read_coding`).
    n_boot, seed : int
        See :func:`agreement`.

    Examples
    --------
    >>> result = agreement_files(["data/raw/notes", "out/coded.parquet:machine_themes"],
    ...                          load_codebook(), names=["analyst", "machine"])  # doctest: +SKIP
    >>> result.per_theme[["theme_id", "kappa", "alpha"]].head()  # doctest: +SKIP
    """
    if names is not None and len(names) != len(specs):
        raise UsageError(f"--names gives {len(names)} names for {len(specs)} codings; give one name per coding")
    codings = [
        read_coding(spec, codebook, name=names[i] if names else None, text_column=text_column) for i, spec in enumerate(specs)
    ]
    return agreement(codings, codebook, n_boot=n_boot, seed=seed)


def about_rows(result: Agreement) -> list[tuple[str, str]]:
    """How the figures were made: comments compared, the join, the measures and the bootstrap."""
    rows = [
        ("Coders", ", ".join(result.coders)),
        ("Comments compared", f"{result.n_comments:,} (in every coding, matched on {result.matched_on})"),
        ("Kappa", result.kappa_name),
        ("Alpha", "Krippendorff's alpha, nominal (per theme: yes/no; main theme: one of the themes or uncoded)"),
        ("Agreement", "share of comments on which every coder made the same decision"),
        ("95% intervals", f"bootstrap over comments, {result.n_boot:,} resamples, seed {result.seed}"),
    ]
    return rows + [("Note", note) for note in result.notes]


def _workbook(result: Agreement) -> Workbook:
    """The agreement workbook: Per theme, Main theme, Coders and About."""
    from openpyxl import Workbook

    from tcs_themes.outputs.excel import DECIMAL, INTEGER, PERCENT, add_table

    book = Workbook()
    sheets = {"Per theme": result.per_theme, "Main theme": result.main_theme, "Coders": result.coders_table}
    for index, (title, frame) in enumerate(sheets.items()):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        formats = {c: (PERCENT if c.startswith("agreement") else DECIMAL) for c in frame.columns if frame[c].dtype.kind == "f"}
        formats.update({c: INTEGER for c in frame.columns if frame[c].dtype.kind == "i"})
        add_table(sheet, frame, title.replace(" ", "_"), formats=formats)
    add_table(book.create_sheet("About"), pd.DataFrame(about_rows(result), columns=["Item", "Value"]), "About", wrap=("Value",))
    return book


def write_agreement(result: Agreement, path: str | Path) -> list[Path]:
    """Write the agreement tables: one workbook (``.xlsx``) or three CSV files (``.csv``).

    The workbook has the sheets Per theme, Main theme, Coders and About. For
    ``agree.csv`` the files are ``agree.csv`` (per theme),
    ``agree-main_theme.csv`` and ``agree-coders.csv``. Each file is written to
    a temporary name, then renamed into place.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputFileError
        If ``path`` does not end in .xlsx or .csv, or cannot be written.
    """
    from tcs_themes.outputs.reproducible import generation_date, save_office_file
    from tcs_themes.tables import write_table

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputFileError(str(target), "the agreement output must end in .xlsx or .csv")
    if suffix == ".xlsx":  # each file through a temporary name, then renamed into place
        return [save_office_file(_workbook(result).save, target, generation_date())]
    return [
        write_table(frame, target if name == "per_theme" else target.with_name(f"{target.stem}-{name}.csv"))
        for name, frame in result.tables().items()
    ]
