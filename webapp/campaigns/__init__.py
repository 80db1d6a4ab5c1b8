"""Peak campaigns (đợt ra quân): create and edit by period and area; results counted from the
incidents in their area and period."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__)

from webapp.campaigns import views  # noqa: E402,F401  (routes register on import)
