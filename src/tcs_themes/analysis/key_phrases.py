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


def _comments_with_phrases(texts: Sequence[str], rows: Sequence[int], n_groups: int) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """(groups x phrases: how many of each group's comments have the phrase, phrase -> its column).

    ``rows`` gives each text's group (0 to ``n_groups - 1``). The texts are counted in
    batches, so memory holds the table and the phrases, not a comments x phrases matrix.
    """
    phrase_ids: dict[str, int] = {}
    table = sparse.csr_matrix((n_groups, 0), dtype=np.float64)
    for start in range(0, len(texts), _BATCH):
        groups: list[int] = []
        columns: list[int] = []
        for text, group in zip(texts[start : start + _BATCH], rows[start : start + _BATCH], strict=True):
            found = dict.fromkeys(_phrases(text if isinstance(text, str) else ""))  # each phrase once per comment
            columns.extend(phrase_ids.setdefault(phrase, len(phrase_ids)) for phrase in found)
            groups.extend([group] * len(found))
        batch = sparse.csr_matrix((np.ones(len(columns)), (groups, columns)), shape=(n_groups, len(phrase_ids)))
        table.resize((n_groups, len(phrase_ids)))
        table = (table + batch).tocsr()
    return table, phrase_ids


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
    labels = list(dict.fromkeys(groups))
    result: dict[Hashable, list[str]] = {label: [] for label in labels}
    index = {label: i for i, label in enumerate(labels)}
    by_group, phrase_ids = _comments_with_phrases(texts, [index[g] for g in groups], len(labels))
    if not phrase_ids:  # no comment, or no phrase at all
        return result
    totals = np.asarray(by_group.sum(axis=0)).ravel()
    sizes = np.asarray(by_group.sum(axis=1)).ravel()
    average = sizes.mean() if len(sizes) else 1.0
    idf = np.log1p(average / np.maximum(totals, 1))
    vocabulary = np.array(list(phrase_ids), dtype=object)
    lengths = np.array([v.count(" ") + 1 for v in vocabulary])
    for label, i in index.items():
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
