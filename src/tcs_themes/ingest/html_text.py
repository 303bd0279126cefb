"""Turn an HTML email body into readable plain text, in time linear in its length.

Paragraphs and line breaks become newlines, list items become ``- `` lines
(numbered lists keep their numbers), and quoted earlier messages (``<blockquote>``,
Gmail's ``gmail_quote``, Outlook's ``divRplyFwdMsg``) and scripts/styles are dropped.

The markup is cut into tags, comments and text by :func:`_tokens`, not by
:class:`html.parser.HTMLParser`, whose time grows with the square of the length
on unclosed comments, end tags or declarations (``"<!--" * 10_000``, 40 KB,
took 1.3 s; 1 MB of it would take some 14 minutes). Every pattern here scans
forward only, and never past the next ``<``, so deep nesting, huge attributes
or a million tags cost their length once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

_BLOCKS = {"p", "div", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "hr", "pre"}
_DROPPED = {"script", "style", "head", "title", "blockquote"}
_QUOTE_MARKERS = ("gmail_quote", "divrplyfwdmsg", "moz-cite-prefix", "yahoo_quoted", "appendonsend")
#: A comment's start, a declaration or processing instruction (``<!DOCTYPE ...>``, ``<![if mso]>``, ``<?xml ...?>``),
#: or a start or end tag: name, then attributes (quoted values may hold ``>``), never crossing a ``<``.
_MARKUP = re.compile(
    r"<!--|<[!?][^<>]*+>|<(/?)([a-zA-Z][^\s/<>]*+)((?:\"[^\"<]*+\"|'[^'<]*+'|[^'\"<>])*+)>"
)
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
#: Elements whose content is raw text up to their end tag (as browsers read them).
_RAW_TEXT = {name: re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE) for name in ("script", "style")}

Token = tuple[str, str, dict[str, str]]


def _attributes(text: str) -> dict[str, str]:
    """The attributes of a tag, names lower-cased, values unquoted and unescaped."""
    found = {}
    for match in _ATTRIBUTE.finditer(text):
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        found.setdefault(match.group(1).lower(), html.unescape(value))
    return found


def _tokens(markup: str) -> Iterator[Token]:
    """``("data", text, {})``, ``("start", tag, attributes)`` and ``("end", tag, {})`` in order; comments dropped.

    A ``<`` that starts no tag is text. An unclosed comment runs to the end, as in a browser.
    """
    position = 0
    while (match := _MARKUP.search(markup, position)) is not None:
        if match.start() > position:
            yield "data", markup[position : match.start()], {}
        position = match.end()
        if match.group() == "<!--":
            end = markup.find("-->", position)
            position = len(markup) if end < 0 else end + 3
            continue
        name = (match.group(2) or "").lower()
        if not name:
            continue  # a declaration or processing instruction
        if match.group(1):
            yield "end", name, {}
            continue
        yield "start", name, _attributes(match.group(3))
        if match.group(3).rstrip().endswith("/"):
            yield "end", name, {}
        elif name in _RAW_TEXT:
            close = _RAW_TEXT[name].search(markup, position)
            position = len(markup) if close is None else close.start()
    if position < len(markup):
        yield "data", markup[position:], {}


class _TextParser:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self._skip_depth = 0
        self._lists: list[list[int]] = []  # per open list: [ordered?, counter]
        self._quoted = False

    def feed(self, markup: str) -> None:
        for kind, value, attributes in _tokens(markup):
            if kind == "start":
                self.handle_starttag(value, attributes)
            elif kind == "end":
                self.handle_endtag(value)
            else:
                self.handle_data(value)

    def handle_starttag(self, tag: str, attrs: dict[str, str]) -> None:
        marker = " ".join(value for name, value in attrs.items() if name in ("class", "id") and value).lower()
        if self._quoted or any(m in marker for m in _QUOTE_MARKERS):
            self._quoted = True  # everything after a reply marker is the earlier message
            return
        if tag in _DROPPED:
            self._skip_depth += 1
        if tag in ("ul", "ol"):
            self._lists.append([tag == "ol", 0])
        if tag in _BLOCKS:
            self.parts.append("\n\n" if tag == "p" else "\n")
        if tag == "li":
            if self._lists and self._lists[-1][0]:
                self._lists[-1][1] += 1
                self.parts.append(f"{self._lists[-1][1]}. ")
            else:
                self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if self._quoted:
            return
        if tag in _DROPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
            self.parts.append("\n\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth and not self._quoted:
            self.parts.append(re.sub(r"\s+", " ", html.unescape(data)))


def html_to_text(markup: str) -> str:
    """Return readable plain text for the HTML ``markup`` (paragraphs separated by blank lines)."""
    parser = _TextParser()
    parser.feed(markup)
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
