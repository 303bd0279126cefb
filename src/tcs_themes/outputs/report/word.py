"""Render the report as a Word document (python-docx), A4, with the same content as the HTML."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from tcs_themes.errors import InputFileError
from tcs_themes.output_folder import writable_folder
from tcs_themes.outputs.excel import xml_text as _clean
from tcs_themes.outputs.report.content import (
    Block,
    Bullets,
    FigureBlock,
    Paragraph,
    Quotes,
    Report,
    Section,
    TableBlock,
)

_TEXT_WIDTH = Cm(17)
_MAX_HEIGHT = Cm(23)
_MUTED = RGBColor(0x55, 0x55, 0x55)


def _table(doc: DocumentType, block: TableBlock) -> None:
    caption = doc.add_paragraph()
    caption.add_run(_clean(block.caption)).bold = True
    caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Light List Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = table.rows[0]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for r, values in enumerate([block.headers, *block.rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(_clean(value))
            run.font.size = Pt(8.5)
            run.bold = r == 0
            if block.numeric[c]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _block(doc: DocumentType, block: Block) -> None:
    if isinstance(block, Paragraph):
        doc.add_paragraph(_clean(block.text))
    elif isinstance(block, Bullets):
        for number, item in enumerate(block.items, start=1):
            if block.ordered:
                paragraph = doc.add_paragraph(f"{number}. {_clean(item)}")
                paragraph.paragraph_format.left_indent = Cm(0.6)
            else:
                doc.add_paragraph(_clean(item), style="List Bullet")
    elif isinstance(block, TableBlock):
        _table(doc, block)
    elif isinstance(block, FigureBlock):
        picture = doc.add_picture(str(block.png), width=_TEXT_WIDTH)
        if picture.height > _MAX_HEIGHT:  # a tall chart keeps its shape and fits the page
            picture.width, picture.height = int(picture.width * _MAX_HEIGHT / picture.height), _MAX_HEIGHT
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        doc.add_paragraph(_clean(block.caption), style="Caption")
    elif isinstance(block, Quotes):
        for quote in block.quotes:
            doc.add_paragraph(f"\u201c{_clean(quote.text)}\u201d", style="Quote").paragraph_format.keep_with_next = True
            source = doc.add_paragraph(style="Quote")
            run = source.add_run(f"{_clean(quote.attribution)} ({quote.comment_id})")
            run.font.size = Pt(8.5)
            run.italic = False
            run.font.color.rgb = _MUTED


def _section(doc: DocumentType, section: Section, level: int) -> None:
    doc.add_heading(_clean(section.title), level=min(level, 9))
    for block in section.blocks:
        _block(doc, block)
    for child in section.children:
        _section(doc, child, level + 1)


def render_docx(report: Report) -> DocumentType:
    """Return the report as a python-docx Document (A4 pages, 2 cm margins)."""
    doc = Document()
    for page in doc.sections:
        page.page_width, page.page_height = Mm(210), Mm(297)
        page.left_margin = page.right_margin = Mm(20)
        page.top_margin = page.bottom_margin = Mm(20)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = _clean(report.title)
    doc.add_heading(_clean(report.title), level=0)
    subtitle = doc.add_paragraph()
    subtitle.add_run(_clean(report.subtitle)).font.color.rgb = _MUTED
    for section in report.sections:
        _section(doc, section, 1)
    return doc


def write_docx(report: Report, path: str | Path) -> Path:
    """Write the report as a ``.docx`` to ``path`` and return the path."""
    target = Path(path)
    writable_folder(target.parent)
    try:
        render_docx(report).save(str(target))
    except OSError as error:
        raise InputFileError(str(target), f"cannot write the document ({error.strerror}); is it open in Word?") from None
    return target
