"""Reports in the plan's own templates: the monthly progress report (Bảng 3).

Thin views over ``webapp.services.reports``; the rows, XLSX and PDF are made by
``geo.report``.
"""

from flask import Blueprint

from webapp.incidents import formatting

bp = Blueprint("reports", __name__)
formatting.register(bp)  # vn_date … (registering twice is harmless)

from webapp.reports import monthly  # noqa: E402,F401
