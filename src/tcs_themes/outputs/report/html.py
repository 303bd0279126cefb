"""Render the report as one self-contained HTML file: charts embedded, styled for A4 print."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from tcs_themes.output_folder import writable_folder
from tcs_themes.outputs.report.content import Report

_TEMPLATES = resources.files("tcs_themes.outputs.report") / "templates"


def render_html(report: Report) -> str:
    """Return the report as HTML text (every comment and name escaped)."""
    environment = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=True)
    template = environment.from_string((_TEMPLATES / "report.html.j2").read_text(encoding="utf-8"))
    return template.render(report=report, css=(_TEMPLATES / "report.css").read_text(encoding="utf-8"))


def write_html(report: Report, path: str | Path) -> Path:
    """Write the report's HTML to ``path`` (UTF-8) and return the path."""
    target = Path(path)
    writable_folder(target.parent)
    target.write_text(render_html(report), encoding="utf-8")
    return target
