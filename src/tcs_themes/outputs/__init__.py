"""What the analysts publish: the theme-count workbook, charts and the report."""
