"""Outputs that are the same bytes when nothing changed: one generation date, and Office files without save times.

The date the outputs say they were generated (the report's subtitle, the
workbook's Method sheet, the documents' properties) is, in order: the date
given (``--date YYYY-MM-DD``), the ``SOURCE_DATE_EPOCH`` environment variable
(seconds since 1970, the reproducible-builds convention), or today (UTC). It is
a date, not a time, so two runs on one day give the same files.

Workbooks and Word documents are zip files whose members carry their save
time, and whose ``docProps/core.xml`` says when they were created and
modified; :func:`save_office_file` sets all of those to the generation date,
so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from tcs_themes.atomic_write import atomic_path
from tcs_themes.errors import InputFileError, OutputFileError, UsageError

#: The environment variable of the reproducible-builds convention: a Unix time in seconds.
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip member can carry
_IN_MEMORY = 64 * 1024 * 1024  # an Office file bigger than this is staged on disk, not in memory
_PIECE = 1024 * 1024  # zip members are copied a piece at a time, never read whole


def generation_date(date: dt.date | str | None = None) -> dt.date:
    """Return the date outputs are stamped with: ``date``, else ``SOURCE_DATE_EPOCH``, else today (UTC).

    Parameters
    ----------
    date : date or str, optional
        A date, or text ``YYYY-MM-DD``.

    Raises
    ------
    UsageError
        If ``date`` or ``SOURCE_DATE_EPOCH`` is not a valid date or time.
    """
    return stated_date(date) or dt.datetime.now(dt.timezone.utc).date()


def stated_date(date: dt.date | str | None = None) -> dt.date | None:
    """Return the generation date that was stated (``date``, else ``SOURCE_DATE_EPOCH``), or None for today."""
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    if date is not None:
        try:
            return dt.date.fromisoformat(date.strip())
        except ValueError:
            raise UsageError(f"--date {date!r} is not a date; write it as YYYY-MM-DD, e.g. 2022-09-30") from None
    moment = epoch_moment()
    return None if moment is None else moment.date()


def epoch_moment() -> dt.datetime | None:
    """Return the time ``SOURCE_DATE_EPOCH`` pins (UTC), or None when it is unset.

    Raises
    ------
    UsageError
        If it is set but is not a Unix time in whole seconds.
    """
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"{SOURCE_DATE_EPOCH}={epoch!r} is not a Unix time in whole seconds; set it right or unset it"
        ) from None


def save_office_file(
    save: Callable[[IO[bytes]], Any],
    target: str | Path,
    when: dt.date | dt.datetime,
    *,
    error: type[InputFileError] = OutputFileError,
) -> Path:
    """Save an Office Open XML file (.xlsx, .docx) with every time in it set to ``when``; return the path.

    Parameters
    ----------
    save : callable
        Writes the file to a binary stream (``workbook.save``, ``document.save``).
    target : path
        The file to write (through a temporary file, renamed into place).
    when : date or datetime
        The time for the zip members and the created and modified dates (a date means midnight).
    error : InputFileError subclass
        Raised, naming ``target``, when it cannot be written.
    """
    moment = when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time())
    moment = max(moment.replace(tzinfo=None), _ZIP_EPOCH)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY) as written:  # a workbook of a million comments goes to disk
        save(written)
        with atomic_path(target, error=error) as temporary:
            with zipfile.ZipFile(written) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as copy:
                for member in source.infolist():  # in the writer's order, which is fixed
                    info = zipfile.ZipInfo(member.filename, date_time=moment.timetuple()[:6])
                    info.compress_type = zipfile.ZIP_DEFLATED
                    if member.filename == "docProps/core.xml":
                        copy.writestr(info, _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", source.read(member.filename)))
                        continue
                    info.file_size = member.file_size  # as writestr sets it: the same headers, copied a piece at a time
                    with source.open(member) as part, copy.open(info, "w") as out:
                        shutil.copyfileobj(part, out, _PIECE)
    return Path(target)
