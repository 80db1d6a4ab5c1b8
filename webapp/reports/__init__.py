"""Reports in the plan's own templates: the monthly progress report (Bảng 3).

Thin views over ``webapp.services.reports``; the rows, XLSX and PDF are made by
``geo.report``.
"""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from webapp.reports import monthly  # noqa: E402,F401
