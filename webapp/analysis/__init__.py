"""Analyses of the ward: monthly khu phố ranking, hotspots, model-house coverage, targets.

Thin views over ``webapp.services.analysis``: they parse the request, call the service,
render a page (maps drawn by ``static/js/analysis``) or answer JSON under ``/api/v1``.
"""

from flask import Blueprint

bp = Blueprint("analysis", __name__)

from webapp.analysis import admin, common, maps, plan, ranking, scores  # noqa: E402,F401

from webapp.analysis import atlas, printing  # noqa: E402,F401  # isort: skip
