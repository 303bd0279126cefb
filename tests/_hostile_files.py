"""Crafted hostile files for the red-team tests (tests/test_hostile_*_commands.py), each built for real in a folder.

Every builder writes one file and returns its path. The files are small (a
zip bomb here is a few hundred kilobytes that claim tens of megabytes), except
where the hostile thing is the size itself (a 10 MB line).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

#: Personal details written into hostile files' contents: no command may print them.
SECRET = "Priya Ramanathan, 07700 900461, priya.r@example.org"
#: A comment text that a good file holds; hostile files hold SECRET.
GOOD_TEXTS = ("The buses are late every morning.", "More benches in the park please.", "Street lights are broken on Mill Lane.")
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>\n"
)


def coded_workbook(path: Path, texts: tuple[str, ...] = GOOD_TEXTS, *, theme: str = "accessibility") -> Path:
    """A real analyst-coded workbook: ``comment_id``, ``text``, ``theme``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Coded"
    sheet.append(["comment_id", "text", "theme"])
    for number, text in enumerate(texts, 1):
        sheet.append([f"c{number}", text, theme])
    book.save(path)
    return path


def _rewrite(source: Path, target: Path, parts: dict[str, bytes]) -> Path:
    """Copy the zip ``source`` to ``target`` with ``parts`` replaced or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename not in parts:
                new.writestr(item, old.read(item.filename))
        for name, data in parts.items():
            new.writestr(name, data)
    return target


def zip_bomb_xlsx(path: Path, megabytes: int = 60) -> Path:
    """A workbook whose sheet XML unpacks to ``megabytes`` MB from some 60 KB (ratio about 1,000)."""
    coded_workbook(path.with_suffix(".base.xlsx"), (SECRET,))
    with zipfile.ZipFile(path.with_suffix(".base.xlsx")) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    padding = b" " * (megabytes << 20)
    bombed = sheet.replace(b"<sheetData>", b"<sheetData>" + padding, 1)
    _rewrite(path.with_suffix(".base.xlsx"), path, {"xl/worksheets/sheet1.xml": bombed})
    path.with_suffix(".base.xlsx").unlink()
    return path


def laughs_xlsx(path: Path, part: str = "xl/sharedStrings.xml") -> Path:
    """A workbook whose ``part`` declares the billion-laughs entities and uses the last one."""
    base = coded_workbook(path.with_suffix(".base.xlsx"), (SECRET,))
    with zipfile.ZipFile(base) as book:
        original = book.read(part).decode("utf-8") if part in book.namelist() else "<sst/>"
    body = re.sub(r"^<\?xml[^>]*\?>\s*", "", original)
    body = body.replace("</t>", "&lol9;</t>", 1) if "</t>" in body else body
    _rewrite(base, path, {part: (LAUGHS + body).encode("utf-8")})
    base.unlink()
    return path


def zip_of_something_else(path: Path) -> Path:
    """A zip holding a text file and a picture, named like a workbook."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", SECRET)
        archive.writestr("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200))
    return path


def truncated_xlsx(path: Path) -> Path:
    """The first half of a real workbook."""
    base = coded_workbook(path.with_suffix(".base.xlsx"), (SECRET,))
    data = base.read_bytes()
    base.unlink()
    path.write_bytes(data[: len(data) // 2])
    return path


def text_named_parquet(path: Path) -> Path:
    """A text file named .parquet."""
    path.write_text(f"comment_id,text\nc1,{SECRET}\n", encoding="utf-8")
    return path


def parquet_without_text(path: Path) -> Path:
    """A real Parquet file of the wrong schema: no ``text`` or ``comment_id``, a column of personal data."""
    pd.DataFrame({"remarks": [SECRET], "score": [0.25]}).to_parquet(path, index=False)
    return path


def long_line_csv(path: Path, megabytes: int = 10) -> Path:
    """A CSV whose second line is one ``megabytes`` MB cell (no line break in it)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("comment_id,text,theme\n")
        out.write(f"c1,\"{SECRET} " + "x" * (megabytes << 20) + "\",accessibility\n")
    return path


def utf16_csv(path: Path, texts: tuple[str, ...] = GOOD_TEXTS, prefix: str = "g") -> Path:
    """A coded CSV in UTF-16 with a byte-order mark (Excel's "Unicode Text" saved as .csv): ids as :func:`good_csv`'s."""
    lines = ["comment_id,text,theme", *(f"{prefix}{i},{text},accessibility" for i, text in enumerate(texts, 1))]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    return path


def nul_csv(path: Path, texts: tuple[str, ...] = GOOD_TEXTS, prefix: str = "g") -> Path:
    """A coded CSV with stray NUL bytes in its cells (a damaged export): ids as :func:`good_csv`'s."""
    lines = ["comment_id,text,theme", *(f"{prefix}{i},{text}\x00,accessibility" for i, text in enumerate(texts, 1))]
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return path


def good_csv(path: Path, texts: tuple[str, ...] = GOOD_TEXTS, prefix: str = "g") -> Path:
    """A plain coded CSV: ``comment_id``, ``text``, ``theme``."""
    lines = ["comment_id,text,theme", *(f"{prefix}{i},{text},accessibility" for i, text in enumerate(texts, 1))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def alias_bomb_yaml(path: Path, key: str = "themes") -> Path:
    """A YAML file of nine nested anchors, each nine aliases of the last (nine to the ninth values)."""
    lines = ["a0: &a0 [lol]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path.write_text("\n".join(lines) + f"\n{key}: *a9\n", encoding="utf-8")
    return path


def deep_yaml(path: Path, depth: int = 100_000) -> Path:
    """A YAML file nested ``depth`` lists deep (flow style, one line)."""
    path.write_text("themes: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return path


def bytes_of_zip(entries: dict[str, bytes], symlinks: dict[str, str] | None = None) -> bytes:
    """A zip in memory with ``entries``, and ``symlinks`` (name -> target) stored as Unix links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, target)
    return buffer.getvalue()


def _varint(number: int) -> bytes:
    """``number`` as a Thrift compact-protocol varint."""
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | (0x80 if number else 0))
        if not number:
            return bytes(out)


def parquet_claiming_rows(path: Path, rows: int = 5_000_000_000) -> Path:
    """A real 3-row Parquet file whose footer claims ``rows`` rows (its FileMetaData.num_rows rewritten)."""
    pd.DataFrame({"comment_id": ["c1", "c2", "c3"], "text": [SECRET, "b", "c"]}).to_parquet(path, index=False)
    data = path.read_bytes()
    length = int.from_bytes(data[-8:-4], "little")
    footer = data[-8 - length : -8]
    at = footer.index(b"\x16\x06")  # field 3 (num_rows, i64) after the schema list: zigzag 3 is 6
    claimed = footer[:at] + b"\x16" + _varint(rows * 2) + footer[at + 2 :]
    path.write_bytes(data[: -8 - length] + claimed + len(claimed).to_bytes(4, "little") + b"PAR1")
    return path
