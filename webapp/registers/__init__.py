"""Registers defined as data (cameras, trees, alleys…): the desk pages, the map layer API,
the phone form and its submission kind ``register_entry``."""

from flask import Blueprint

bp = Blueprint("registers", __name__)

from webapp.registers import api, views  # noqa: E402,F401  (routes register on import)
