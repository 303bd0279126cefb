"""Key phrases that distinguish one group of comments from the others (class-based TF-IDF).

The candidate phrases are word n-grams (1 to 3 words) that neither start nor end
with a stop word ("delivery will cost", "youth provision"): close to noun
phrases without needing a parser, since the toolkit's spaCy pipeline is a blank
English one. Each group of comments (a theme, say) is one "class": a phrase
scores high when it is frequent in the group's comments and rare across the
groups (class-based TF-IDF, as in BERTopic). A phrase must occur in at least
``min_comments`` of the group's comments, so it is shared wording, not one
person's. Comments are counted a batch at a time into a groups x phrases table
(scipy CSR): memory grows with the number of distinct phrases, never with the
number of comments.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
#: Words too general to make a phrase on their own in consultation comments.
_GENERAL = frozenset(
    "need needs needed people think like really just also lot lots thing things strategy want wants make good way say "
    "said says don't doesn't it's i'm we're they're can't isn't actually come comes came took does did done looks look "
    "feel felt heard mean means change written worked work use used know better bit got get gets going yes maybe sure "
    "new big small great mention mentioned missing missed suggest exists start run reads bad number owns signing".split()
)
_STOP = ENGLISH_STOP_WORDS | _GENERAL


def _phrases(text: str) -> list[str]:
    """The 1- to 3-word phrases of ``text`` that start and end on a content word, within one clause."""
    out: list[str] = []
    for clause in re.split(r"[.,;:!?()\"\u2013\u2014/]+", text.lower().replace("\u2019", "'")):
        tokens = _WORD.findall(clause)
        for size in (1, 2, 3):
            for i in range(len(tokens) - size + 1):
                gram = tokens[i : i + size]
                if gram[0] in _STOP or gram[-1] in _STOP or len(gram[0]) < 3 or len(gram[-1]) < 3:
                    continue
                out.append(" ".join(gram))
    return out


_BATCH = 20_000  # comments counted at a time


class PhraseTable:
    """How many comments of each group have each phrase, counted as comments come (groups x phrases, scipy CSR).

    Memory holds the table and the phrases, never the comments: :meth:`add` them in batches,
    then :meth:`distinctive` gives what :func:`distinctive_phrases` of them all would.
    """

    def __init__(self) -> None:
        self.labels: dict[Hashable, int] = {}
        self.phrase_ids: dict[str, int] = {}
        self.table = sparse.csr_matrix((0, 0), dtype=np.float64)

    def add(self, texts: Sequence[str], groups: Sequence[Hashable]) -> None:
        """Count ``texts``, each in its group (same length)."""
        for start in range(0, len(texts), _BATCH):
            rows: list[int] = []
            columns: list[int] = []
            for text, group in zip(texts[start : start + _BATCH], groups[start : start + _BATCH], strict=True):
                row = self.labels.setdefault(group, len(self.labels))
                found = dict.fromkeys(_phrases(text if isinstance(text, str) else ""))  # each phrase once per comment
                columns.extend(self.phrase_ids.setdefault(phrase, len(self.phrase_ids)) for phrase in found)
                rows.extend([row] * len(found))
            shape = (len(self.labels), len(self.phrase_ids))
            batch = sparse.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=shape)
            self.table.resize(shape)
            self.table = (self.table + batch).tocsr()

    def distinctive(self, *, top: int = 4, min_comments: int = 2) -> dict[Hashable, list[str]]:
        """The ``top`` phrases that distinguish each group's comments (see :func:`distinctive_phrases`)."""
        result: dict[Hashable, list[str]] = {label: [] for label in self.labels}
        if not self.phrase_ids:  # no comment, or no phrase at all
            return result
        by_group = self.table
        totals = np.asarray(by_group.sum(axis=0)).ravel()
        sizes = np.asarray(by_group.sum(axis=1)).ravel()
        average = sizes.mean() if len(sizes) else 1.0
        idf = np.log1p(average / np.maximum(totals, 1))
        vocabulary = np.array(list(self.phrase_ids), dtype=object)
        lengths = np.array([v.count(" ") + 1 for v in vocabulary])
        for label, i in self.labels.items():
            start, end = by_group.indptr[i], by_group.indptr[i + 1]
            columns, df = by_group.indices[start:end], by_group.data[start:end]
            keep = df >= min_comments
            columns, df = columns[keep], df[keep]
            if not len(columns):
                continue
            score = (df / max(sizes[i], 1)) * idf[columns] * (1 + 0.6 * (lengths[columns] - 1))  # favour phrases over single words
            order = np.lexsort((vocabulary[columns], -np.round(score, 12)))
            chosen: list[str] = []
            for k in order:
                phrase = str(vocabulary[columns[k]])
                if any(phrase in kept or kept in phrase for kept in chosen):
                    continue
                chosen.append(phrase)
                if len(chosen) == top:
                    break
            result[label] = chosen
        return result


def distinctive_phrases(
    texts: Sequence[str], groups: Sequence[Hashable], *, top: int = 4, min_comments: int = 2
) -> dict[Hashable, list[str]]:
    """The ``top`` phrases that distinguish each group's comments, best first.

    Parameters
    ----------
    texts : sequence of str
        The comments.
    groups : sequence
        Each comment's group (e.g. its main theme); same length as ``texts``.
    top : int
        Phrases per group. A phrase contained in a better one already kept is skipped.
    min_comments : int
        A phrase must occur in at least this many of the group's comments.

    Returns
    -------
    dict
        Group -> phrases (possibly empty), for every group in ``groups``.

    Examples
    --------
    >>> distinctive_phrases(["More youth clubs please", "Youth clubs closed", "Bins are full", "Empty the bins"],
    ...                     ["young", "young", "waste", "waste"], top=1)
    {'young': ['youth clubs'], 'waste': ['bins']}
    """
    table = PhraseTable()
    table.add(texts, groups)
    return table.distinctive(top=top, min_comments=min_comments)
