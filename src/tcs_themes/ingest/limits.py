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
