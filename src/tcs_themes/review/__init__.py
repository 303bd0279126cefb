"""The analyst in the loop: a review queue in Excel, decisions applied with an audit trail.

* :func:`export_review` writes a review workbook of the comments most worth a look
  (:mod:`tcs_themes.review.queue` chooses them);
* :func:`apply_review` reads the decisions back, appends them to the decisions log
  and writes the corrected coded table;
* :func:`apply_decisions` gives a freshly coded table every decision in a log
  (``code`` and ``run`` with ``--decisions``); :func:`decision_labels` makes training
  labels of them (``train --decisions``).

See docs/review.md.
"""

from __future__ import annotations

from tcs_themes.review.apply import ReviewApplied, apply_review
from tcs_themes.review.export import ReviewExport, export_review
from tcs_themes.review.log import apply_decisions, decision_labels, read_log
from tcs_themes.review.queue import STRATEGIES, select_for_review

__all__ = [
    "STRATEGIES",
    "ReviewApplied",
    "ReviewExport",
    "apply_decisions",
    "apply_review",
    "decision_labels",
    "export_review",
    "read_log",
    "select_for_review",
]
