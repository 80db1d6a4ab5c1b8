"""The monthly progress report in the plan's template (Bảng 3): rows, XLSX and PDF.

Pure: ``rows`` builds the rows from the targets (``geo.targets.evaluate``), the month's counts
and what staff wrote, their sentences made by ``figures``; ``xlsx`` and ``pdf`` write them
under the ward's letterhead (its plan's header, recipient and signature block), in the
report's ``locale``. No Flask, no SQLAlchemy.
"""

from geo.report.figures import MonthCounts, figures_text, product_text
from geo.report.pdf import write_pdf
from geo.report.rows import (
    COLUMNS,
    DEFAULT_TITLE,
    NOTE,
    Entry,
    Letterhead,
    Report,
    ReportRow,
    build_rows,
    cells,
    completion,
    due_date,
)
from geo.report.xlsx import write_xlsx

__all__ = ["COLUMNS", "DEFAULT_TITLE", "NOTE", "Entry", "Letterhead", "MonthCounts", "Report",
           "ReportRow", "build_rows", "cells", "completion", "due_date", "figures_text",
           "product_text", "write_pdf", "write_xlsx"]
