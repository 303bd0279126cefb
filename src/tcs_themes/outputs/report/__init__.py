"""The consultation report: content built once, rendered as self-contained HTML and as Word."""

from __future__ import annotations

from pathlib import Path

from tcs_themes.outputs.report.content import Report, build_report
from tcs_themes.outputs.report.html import render_html, write_html
from tcs_themes.outputs.report.word import render_docx, write_docx


def write_report(report: Report, directory: str | Path, stem: str = "report") -> dict[str, Path]:
    """Write ``report`` as ``<stem>.html`` and ``<stem>.docx`` in ``directory``.

    Returns
    -------
    dict
        ``{"html": path, "docx": path}``.
    """
    folder = Path(directory)
    return {"html": write_html(report, folder / f"{stem}.html"), "docx": write_docx(report, folder / f"{stem}.docx")}


__all__ = ["Report", "build_report", "render_docx", "render_html", "write_docx", "write_html", "write_report"]
