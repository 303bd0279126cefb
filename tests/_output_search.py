"""Search every output file for planted personal details, whatever their case, spacing or phone layout."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pandas as pd

_ZIPS = (".xlsx", ".docx", ".qdpx")
_TEXTS = (".csv", ".html", ".svg", ".json", ".txt", ".log", ".md", ".qde", ".qdc", ".yaml")


class Normalised:
    """One output's text, normalised once: lower case and single spaces, no spaces, words, digit runs."""

    def __init__(self, text: str) -> None:
        self.lower = " ".join(text.lower().split())
        self.no_spaces = self.lower.replace(" ", "")
        self.words = set(re.findall(r"\w+", self.lower))
        self.digit_runs = [re.sub(r"\D", "", run) for run in re.findall(r"(?<!\w)[+(]?\d[\d \t.()+\-]*\d", text)]


def _zip_text(path: Path) -> str:
    """Every member of a zip (xlsx, docx, qdpx) that is text, its document properties and names included."""
    with zipfile.ZipFile(path) as archive:
        parts = [" ".join(archive.namelist())]
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(_ZIPS):
                continue
            try:
                parts.append(html.unescape(data.decode("utf-8")))
            except UnicodeDecodeError:
                continue  # an image or other binary part
    return "\n".join(parts)


def output_texts(out: Path) -> dict[str, Normalised]:
    """Every output file under ``out`` as normalised text: tables in full (column names too), zips' members."""
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            text = " | ".join(map(str, frame.columns)) + "\n" + frame.to_csv(index=False)
        elif suffix in _ZIPS:
            text = _zip_text(path)
        elif suffix in _TEXTS:
            text = html.unescape(path.read_text(encoding="utf-8"))
        else:
            continue
        texts[str(path)] = Normalised(f"{path.name}\n{text}")
    return texts


def found_in(kind: str, value: str, output: Normalised) -> bool:
    """Whether ``value`` appears in ``output``, whatever its case, spacing or phone layout."""
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        digits = digits[2:] if value.startswith(("+44", "0044")) else digits
        digits = digits.removeprefix("0").removeprefix("0")[-9:]
        return any(digits in run for run in output.digit_runs)
    if kind in ("nhs", "bank"):  # its digits, however spaced
        digits = re.sub(r"\D", "", value)
        return any(digits in run for run in output.digit_runs) or digits in output.no_spaces
    if kind in ("postcode", "ni", "vehicle"):
        return value.lower().replace(" ", "") in output.no_spaces
    if kind == "name":
        return any(word.lower() in output.words for word in re.findall(r"\w+", value) if len(word) > 1)
    if kind == "email":
        return value.lower() in output.lower or value.lower().split("@")[0].split(" ")[0] in output.lower
    return " ".join(value.lower().split()) in output.lower
