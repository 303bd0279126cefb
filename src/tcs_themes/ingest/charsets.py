"""Decode text whose encoding is unknown or declared wrongly, and say when a guess or a replacement was made.

Two readers use this: CSV files (no declared encoding; see
:func:`tcs_themes.ingest.csv_files.decode_csv_bytes`) and email parts (a
declared charset that may be missing, unknown or wrong).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

#: Largest share of letters that may be accented in text accepted as Windows-1252.
MAX_ACCENTED_SHARE = 0.15
#: Categories of the non-letters Windows-1252 holds (punctuation, symbols, ª º µ); any of them may appear.
_SYMBOLS = {"Pd", "Pi", "Pf", "Po", "Ps", "Pe", "Sc", "Sm", "Sk", "So", "Zs", "No", "Lm", "Lo", "Ll"}
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: UTF-8 of Western text (Latin-1 letters, typographic punctuation, the euro) read as Windows-1252 gives
#: "Ã©", "Â£", "â€™": sequences that real Windows-1252 text does not contain.
_WESTERN_UTF8 = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
_SINGLE_BYTE = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"})


def plausible_western(text: str) -> bool:
    """Whether ``text`` reads as Western-European text.

    Every non-ASCII character must be a Latin letter or a symbol or punctuation
    mark, and accented letters must be a small share of all letters
    (mis-decoded Cyrillic or Greek gives runs of accented letters).
    """
    letters = accented = 0
    for char in text:
        if char.isalpha():
            letters += 1
            accented += ord(char) > 127
        if ord(char) > 127:
            category = unicodedata.category(char)
            is_latin = "LATIN" in unicodedata.name(char, "") and category.startswith("L")
            if not (is_latin or category in _SYMBOLS):
                return False
    return accented <= MAX_ACCENTED_SHARE * max(letters, 1)


def mixes_utf8(data: bytes) -> bool:
    """Whether bytes that are not valid UTF-8 still hold UTF-8 text (a file saved in two encodings).

    Windows-1252 text can contain a byte pair that happens to be valid UTF-8
    (French "à\\xa0«"); only sequences that UTF-8 Western text really produces
    count, or UTF-8 sequences outnumbering the other non-ASCII bytes.
    """
    if _WESTERN_UTF8.search(data):
        return True
    sequences = _UTF8_SEQUENCE.findall(data)
    stray = sum(byte > 127 for byte in data) - sum(len(s) for s in sequences)
    return len(sequences) > stray


def _known(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        info = codecs.lookup(charset)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None  # not "base64", "rot13", "zlib"


def decode_declared(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode ``data`` (an email part) that says it is in ``declared``; return the text and a note, or None.

    Without a declared charset, UTF-8 is taken silently when it fits. The
    declared charset is used when it decodes the bytes, unless it is a
    single-byte Western charset and the bytes are valid UTF-8 with non-ASCII
    characters (a mislabelled UTF-8 message). Otherwise UTF-8, then
    Windows-1252 when it reads as Western text, then charset-normalizer's best
    guess is tried; as a last resort undecodable bytes become U+FFFD. The note
    says which of these happened, and how many characters were replaced.
    """
    if not declared:
        try:
            return data.decode("utf-8"), None  # UTF-8 is the default when nothing is declared
        except UnicodeDecodeError:
            pass
    charset = _known(declared)
    label = f"declared charset {declared!r}" if declared else "no declared charset"
    if charset is not None:
        try:
            text = data.decode(charset)
        except (UnicodeError, ValueError):  # idna and a few others raise UnicodeError, not UnicodeDecodeError
            problem = f"{label} does not fit the bytes"
        else:
            if charset not in _SINGLE_BYTE or data.isascii():
                return text, None
            try:
                return data.decode("utf-8"), f"{label} but the text is UTF-8; read as UTF-8"
            except UnicodeDecodeError:
                return text, None
    else:
        problem = f"{label} is unknown" if declared else label
    try:
        return data.decode("utf-8"), f"{problem}; read as UTF-8"
    except UnicodeDecodeError:
        pass
    if not mixes_utf8(data):
        text = data.decode("cp1252", errors="replace")
        if "\ufffd" not in text and plausible_western(text):
            return text, f"{problem}; read as Windows-1252"
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None and guess.encoding:
        return str(guess), f"{problem}; read as {guess.encoding} (charset-normalizer's guess)"
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    return text, f"{problem}; read as UTF-8 with {replaced} unreadable characters replaced by U+FFFD"
