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

from tcs_themes.outputs.excel import xml_text as _clean
from tcs_themes.outputs.reproducible import generation_date, save_office_file
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


def column_widths(block: TableBlock, total: int = _TEXT_WIDTH) -> list[int]:
    """Column widths (EMU) summing to ``total``, in proportion to what each column holds: at least its longest
    word, so no word is broken across lines ("conversation-s"), and more for columns of longer text."""
    weights = []
    for c, numeric in enumerate(block.numeric):
        values = [block.headers[c], *(row[c] for row in block.rows)]
        longest = max((len(word) for value in values for word in value.split()), default=1)
        mean = sum(len(value) for value in values) / len(values)
        weights.append(longest + 2.0 if numeric else max(longest + 2.0, min(mean, 60.0) * 0.6))  # + 2: padding, bold headers
    scale = total / sum(weights)
    widths = [int(w * scale) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _table(doc: DocumentType, block: TableBlock) -> None:
    caption = doc.add_paragraph()
    caption.add_run(_clean(block.caption)).bold = True
    caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Light List Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    widths = column_widths(block)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice reads; Word reads the cells' widths below
    header = table.rows[0]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for r, values in enumerate([block.headers, *block.rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(_clean(value))
            run.font.size = Pt(8.5)
            run.bold = r == 0
            if block.numeric[c]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _field_runs(paragraph, instruction: str, *, begin: bool = True, end: bool = True, cached: str = "") -> None:
    """Add a Word field (``PAGE``, ``TOC ...``) to ``paragraph``: begin, instruction, separator, cached result, end."""
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")  # Word refreshes the field when the file opens
        paragraph.add_run()._r.append(element)

    if begin:
        char("begin")
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = f" {instruction} "
        paragraph.add_run()._r.append(text)
        char("separate")
    if cached:
        paragraph.add_run(cached)
    if end:
        char("end")


def _front_page(doc: DocumentType, report: Report) -> None:
    """Title, organisation, author and date, then the contents (a TOC field) on its own page."""
    title = doc.add_paragraph(_clean(report.title), style="Title")
    title.paragraph_format.space_before = Cm(5)
    for text, size in ((report.organisation, 16), (report.author, 13), (report.date, 13)):
        if text:
            doc.add_paragraph().add_run(_clean(text)).font.size = Pt(size)
    subtitle = doc.add_paragraph()
    subtitle.add_run(_clean(report.subtitle)).font.color.rgb = _MUTED
    subtitle.runs[0].font.size = Pt(8.5)
    doc.add_page_break()
    contents = doc.add_paragraph()
    contents.add_run("Contents").font.size = Pt(16)
    contents.runs[0].bold = True
    # the field's cached result lists the headings, so the contents read right before Word updates the page numbers
    entries = [(level, title) for section in report.sections for level, title in [(0, section.title), *((1, c.title) for c in section.children)]]
    for number, (level, text) in enumerate(entries):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.6 * level)
        paragraph.paragraph_format.space_after = Pt(2)
        _field_runs(paragraph, 'TOC \\o "1-2" \\h \\z \\u', begin=number == 0, end=number == len(entries) - 1, cached=_clean(text))
    doc.add_page_break()


def _page_numbers(doc: DocumentType) -> None:
    """"Page N" in the centre of every footer, from a PAGE field."""
    for page in doc.sections:
        paragraph = page.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Page ")
        _field_runs(paragraph, "PAGE", cached="1")
        for run in paragraph.runs:
            run.font.size = Pt(9)
            run.font.color.rgb = _MUTED


def _block(doc: DocumentType, block: Block, comment_ids: bool = False) -> None:
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
            run = source.add_run(_clean(quote.attribution) + (f" ({quote.comment_id})" if comment_ids else ""))
            run.font.size = Pt(8.5)
            run.italic = False
            run.font.color.rgb = _MUTED


def _section(doc: DocumentType, section: Section, level: int, comment_ids: bool) -> None:
    doc.add_heading(_clean(section.title), level=min(level, 9))
    for block in section.blocks:
        _block(doc, block, comment_ids)
    for child in section.children:
        _section(doc, child, level + 1, comment_ids)


def render_docx(report: Report) -> DocumentType:
    """Return the report as a python-docx Document (A4 pages, 2 cm margins).

    A front page, a contents page (a real TOC field, refreshed by Word on opening) and
    page numbers in the footer (a PAGE field).
    """
    doc = Document()
    for page in doc.sections:
        page.page_width, page.page_height = Mm(210), Mm(297)
        page.left_margin = page.right_margin = Mm(20)
        page.top_margin = page.bottom_margin = Mm(20)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = _clean(report.title)
    doc.core_properties.author = _clean(report.author or report.organisation)
    _front_page(doc, report)
    _page_numbers(doc)
    for section in report.sections:
        _section(doc, section, 1, report.comment_ids)
    update = OxmlElement("w:updateFields")  # ask Word to fill in the contents' page numbers on opening
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)
    return doc


def write_docx(report: Report, path: str | Path) -> Path:
    """Write the report as a ``.docx`` to ``path`` and return the path.

    Its save times and created/modified dates are the report's generation date,
    so the same report gives the same bytes.
    """
    return save_office_file(render_docx(report).save, path, generation_date(report.generated))
