"""The map of one's own khu phố: a khu phố head (or any member of a khu phố unit) sees their
khu phố, coloured by its published ranking, and the model streets in it — the ward's map,
with every khu phố's incidents and houses, is not theirs (``KHU_PHO_HEAD_BLUEPRINTS``)."""

from __future__ import annotations

from flask import render_template

from geo import vocabulary as vocab
from models import work_queries as store
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.public.views import map_config
from webapp.services import public as layers
from webapp.services.province import SCORE_CLASSES
from webapp.work import bp, common


@bp.get("/tasks/map")
@require("view_work")
def own_map():
    ward = common.ward()
    who = common.acting()
    mine = store.unit_neighbourhoods(db.conn, ward.id, list(who.unit_ids))
    areas, streets = layers.map_layers(db.conn, ward.id, layers.latest_totals(db.conn, ward.id),
                                       mine) if mine else ([], [])
    return render_template("work/map.html", ward=ward, areas=areas, streets=streets,
                           config=map_config(areas, streets), score_classes=SCORE_CLASSES,
                           levels=vocab.MODEL_STREET_LEVELS,
                           statuses=vocab.MODEL_STREET_STATUSES)
