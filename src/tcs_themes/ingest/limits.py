"""Limits on what one input file may hold, so a hostile or broken file ends in a clear error, not a hang.

Every limit is listed, with the reason for its value, in ``docs/ingest.md``.
"""

from __future__ import annotations

#: Most rows read from one sheet or CSV file: Excel's own limit (a file with more is an error).
MAX_ROWS = 1_048_576
#: Most empty rows a sheet may have between two rows with data; more means a stray cell far below the data
#: (a cell at XFD1048576 in a sheet of ten comments), which is an error for the file.
MAX_EMPTY_ROWS = 10_000
#: Most sheets one workbook may have (openpyxl's time grows with the square of the sheets: 20,000 take
#: 108 s; 1,000 take under a second). A consultation workbook has a sheet per session, tens at most.
MAX_SHEETS = 1_000
#: Most columns read from one sheet or CSV file.
MAX_COLUMNS = 1_024
#: Longest text kept from one cell or email point (Excel's own limit); longer text is cut and logged.
MAX_CELL_CHARS = 32_767
#: Most bytes an .xlsx workbook may unpack to (512 MiB).
MAX_XLSX_BYTES = 512 << 20
#: Most cells the merged ranges and hyperlink ranges of one workbook may cover together (openpyxl makes an
#: object for every cell of such a range, so one range B1:XFD1048576 would be 17 billion objects).
MAX_RANGE_CELLS = 2_000_000
#: Most bytes one CSV file may have (128 MiB: a million rows of 120 bytes; reading costs up to eight times the size
#: in memory).
MAX_CSV_BYTES = 128 << 20
#: Most characters in one line of a CSV file, and in one of its cells (1 MiB): longer is an unclosed quote or not
#: a table (a 50 MB one-line file cost 1 GB to read). Cells longer than MAX_CELL_CHARS but within this are cut.
MAX_CSV_LINE_CHARS = 1 << 20
#: Most bytes one email may have: an .eml or .msg file, or one message of an mbox (32 MiB: a 25 MB attachment
#: base64-encoded; parsing costs about ten times the size in memory).
MAX_EMAIL_BYTES = 32 << 20
#: Most bytes the body of one email may have (its plain or HTML part, 4 MiB: some 600,000 words of text).
MAX_EMAIL_BODY_BYTES = 4 << 20
#: Most MIME parts (bodies and attachments) one email may have; the parser takes about 0.4 ms a part.
MAX_EMAIL_PARTS = 1_000
#: Most messages read from one mbox file; the messages after are one error line for the file.
MAX_MBOX_MESSAGES = 100_000
#: Most cell formats (``<xf>`` records) in a workbook's styles: Excel's own limit. openpyxl builds every one
#: (300,000 took 14 s and 740 MB from a 650 KB file).
MAX_CELL_FORMATS = 65_490
#: Most XML elements in a workbook's styles part (fonts, fills, borders, formats and their parts): Excel's limits
#: (65,490 formats with an alignment each, 1,024 fonts) come to about 137,000; 240,000 took openpyxl 5 to 8 s.
MAX_STYLE_ELEMENTS = 200_000
#: Most bytes one Parquet file may have on disk (2 GiB; the sample's coded table is 289 KB for 1,067 comments, so a
#: million would be about 270 MB).
MAX_PARQUET_BYTES = 2 << 30
#: Most rows a Parquet table (a file, or a dataset folder's files together) may declare: ten million comments.
#: Read from its footer before any row is, so a file claiming billions of rows is refused before memory is taken.
MAX_TABLE_ROWS = 10_000_000
#: Most bytes one row group of a Parquet file may declare unpacked (1 GiB): pyarrow reads a row group whole, so a
#: file claiming a huge column is refused before it is read. The sample's coded table unpacks to 462 KB for 1,067
#: comments: a row group of a million (pyarrow's default size) is about 450 MB.
MAX_ROW_GROUP_BYTES = 1 << 30
