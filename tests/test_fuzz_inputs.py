"""Property-based fuzzing (Hypothesis, bounded and derandomized): ingest of CSV and email bytes, codebook YAML, redaction.

Properties: only the toolkit's one-line errors (never another exception, never
an "unexpected" error); nothing lost (per file, rows read = kept + blank +
duplicates + failed + removed, and each such row has one comment or one log
line); output text never longer than the cell limit.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tcs_themes.codebook import load_codebook
from tcs_themes.errors import CodebookError
from tcs_themes.ingest import ingest
from tcs_themes.ingest.limits import MAX_CELL_CHARS
from tcs_themes.ingest.redaction import redact

BOUNDED = settings(
    max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Text with the characters that matter to the readers: delimiters, quotes, line breaks, markers, accents.
_CHARS = st.characters(
    codec="utf-8", exclude_categories=("Cs",), include_characters=',;\t|"\'\r\n>-*=@.+#:&* \u00e9\u2019\u00a0\ufeff\x00'
)
_TEXT = st.text(_CHARS, max_size=300)
_LINES = st.lists(st.one_of(_TEXT, st.sampled_from([
    "Kind regards,", "Thanks", "--", "-- ", "> quoted", "From me to you", "Dear all,", "PS one more thing",
    "1. first point", "- a bullet", "Sent from my iPhone", "This email is confidential and intended solely for you.",
    "On Tue, 1 Jan 2022, Someone wrote:", "-----Original Message-----", "", "jo.bloggs@example.org 07700 900123 OX4 2XX",
])), max_size=25)


def _check(result, path: Path) -> None:
    assert result.unexpected == [], result.unexpected
    for error in result.errors:
        assert "\n" not in error and error.startswith(path.as_posix())
    ids_per_file: dict[str, int] = {}
    for ident, source in zip(result.comments["comment_id"], result.comments["source_file"]):
        ids_per_file[source] = ids_per_file.get(source, 0) + 1
    for row in result.files.itertuples(index=False):
        assert row.rows_read == row.kept + row.blank + row.duplicates + row.failed + row.removed
        row_logs = result.log[(result.log["source_file"] == row.source_file) & result.log["comment_id"].notna()]
        assert ids_per_file.get(row.source_file, 0) + len(row_logs) == row.rows_read
    assert all(len(text) <= MAX_CELL_CHARS for text in result.comments["text"])


def _ingest_bytes(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result = ingest(path)
        _check(result, path)
        return result


@BOUNDED
@given(st.binary(max_size=3000))
def test_any_csv_bytes(data: bytes) -> None:
    _ingest_bytes("input.csv", b"Comment,Session\n" + data)


@settings(BOUNDED, max_examples=40)
@given(st.lists(st.lists(_TEXT, max_size=4), max_size=20), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_any_csv_rows(rows: list[list[str]], encoding: str) -> None:
    text = "\r\n".join(["Comment,Session,Date"] + [",".join(cells) for cells in rows])
    result = _ingest_bytes("input.csv", text.encode(encoding, errors="replace"))
    if encoding != "cp1252" and "\x00" not in text:  # UTF text without NUL bytes always reads
        assert result.errors == []


@BOUNDED
@given(st.binary(max_size=3000), st.booleans())
def test_any_email_bytes(data: bytes, as_mbox: bool) -> None:
    if as_mbox:
        _ingest_bytes("input.mbox", b"From x@example.org Tue Jul 19 10:15:00 2022\nFrom: x@example.org\n" + data)
    else:
        _ingest_bytes("input.eml", b"From: Ann Lee <ann@example.org>\nSubject: x\n" + data)


@BOUNDED
@given(_LINES, st.sampled_from(["utf-8", "us-ascii", "x-unknown", "iso-8859-1", "utf-16", "base64", "idna"]), st.booleans())
def test_any_email_body(lines: list[str], charset: str, as_mbox: bool) -> None:
    body = "\n".join(lines).encode("utf-8", errors="replace")
    message = (
        b"From: Sam Lee <sam@example.org>\nSubject: fuzz\nContent-Type: text/plain; charset=" + charset.encode()
        + b"\nContent-Transfer-Encoding: 8bit\n\n" + body + b"\n"
    )
    if as_mbox:
        result = _ingest_bytes("input.mbox", b"From sam@example.org Tue Jul 19 10:15:00 2022\n" + message)
    else:
        result = _ingest_bytes("input.eml", message)
    assert result.errors == []  # a well-formed message is always read, whatever its charset says
    assert not result.comments["text"].str.contains("jo.bloggs@example.org|07700 900123", regex=True).any()


_KEYS = st.sampled_from(["name", "themes", "id", "patterns", "tokens", "phrase", "lemmas", "exclusions", "LOWER",
                         "LEMMA", "REGEX", "OP", "parent", "subthemes", "examples", "scope", "x"])
_YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _TEXT, st.sampled_from(["(a+)+$", "park", "+", "*", "no"])),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=4)),
    max_leaves=30,
)


def _load_codebook_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "codebook.yaml"
        path.write_text(text, encoding="utf-8", errors="replace")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                load_codebook(path)
        except CodebookError as error:
            assert "\n" not in str(error) and str(error).startswith(str(path))


@BOUNDED
@given(_TEXT)
def test_any_codebook_text(text: str) -> None:
    _load_codebook_text(text)


@BOUNDED
@given(_YAML_VALUES)
def test_any_codebook_structure(value: object) -> None:
    _load_codebook_text(yaml.safe_dump({"name": "fuzz", "themes": value}, allow_unicode=True))


_ADDRESS = st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]@[a-z]{1,10}\.(org|co\.uk|com)", fullmatch=True)


@BOUNDED
@given(_TEXT, _ADDRESS, _TEXT, st.lists(st.text(min_size=1, max_size=20), max_size=3))
def test_redaction(before: str, address: str, after: str, names: list[str]) -> None:
    text = f"{before} {address} {after}"
    redacted, count = redact(text, names)
    assert address not in redacted and count >= 1
    assert len(redacted) <= len(text) + count * len("[POSTCODE]")
    assert redacted.count("[EMAIL]") >= 1
