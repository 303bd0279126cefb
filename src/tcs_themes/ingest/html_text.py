"""Turn an HTML email body into readable plain text.

Paragraphs and line breaks become newlines, list items become ``- `` lines
(numbered lists keep their numbers), and quoted earlier messages (``<blockquote>``,
Gmail's ``gmail_quote``, Outlook's ``divRplyFwdMsg``) and scripts/styles are dropped.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "hr", "pre"}
_DROPPED = {"script", "style", "head", "title", "blockquote"}
_QUOTE_MARKERS = ("gmail_quote", "divrplyfwdmsg", "moz-cite-prefix", "yahoo_quoted", "appendonsend")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0
        self._stack: list[str] = []
        self._lists: list[list[int]] = []  # per open list: [ordered?, counter]
        self._quoted = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marker = " ".join(f"{value}" for name, value in attrs if name in ("class", "id") and value).lower()
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
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """Return readable plain text for the HTML ``markup`` (paragraphs separated by blank lines)."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
