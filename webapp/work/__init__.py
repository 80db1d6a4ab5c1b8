"""The plan as work: a ward's units and people, "6 rõ" tasks, progress with evidence, early
warning, and each unit's monthly report (Bảng 3) consolidated by the office."""

from flask import Blueprint

bp = Blueprint("work", __name__)

from webapp.work import imports, reports, units, views  # noqa: E402,F401  (routes register)
