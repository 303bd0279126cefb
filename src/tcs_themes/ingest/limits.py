"""Limits on what one input file may hold, so a hostile or broken file ends in a clear error, not a hang.

Every limit is listed, with the reason for its value, in ``docs/ingest.md``.
"""

from __future__ import annotations

#: Most rows read from one sheet or CSV file (a sheet with data further down is an error for that sheet).
MAX_ROWS = 1_000_000
#: Most columns read from one sheet or CSV file.
MAX_COLUMNS = 1_024
#: Longest text kept from one cell or email point (Excel's own limit); longer text is cut and logged.
MAX_CELL_CHARS = 32_767
#: Most bytes an .xlsx workbook may unpack to (512 MiB).
MAX_XLSX_BYTES = 512 << 20
#: Most cells the merged ranges and hyperlink ranges of one workbook may cover together (openpyxl makes an
#: object for every cell of such a range, so one range B1:XFD1048576 would be 17 billion objects).
MAX_RANGE_CELLS = 2_000_000
