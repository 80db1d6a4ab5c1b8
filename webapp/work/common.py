"""Shared by the work pages: the ward and its plan, who is acting, which tasks they see."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from models import work_queries as store
from webapp.analysis import common
from webapp.auth.permissions import can
from webapp.extensions import db
from webapp.services import work as service
from webapp.services.plans import plan_for


def ward():
    return common.ward()


def plan(ward_row):
    return plan_for(db.conn, ward_row)


def acting(conn=None) -> service.Worker:
    """The signed-in user as a worker: an admin acts for the whole ward."""
    return service.worker(conn or db.conn, current_user.ward_id, current_user.id,
                          can("manage_units"))


def visible_units(who: service.Worker) -> list[int] | None:
    """The units whose tasks this user sees: all (None) for the ward's staff and leaders;
    their own for a khu phố head."""
    return None if can("view_all_work") else list(who.unit_ids)


def visible_task(ward_id: int, task_id: int):
    """The task if it exists in the ward and the user may see it, else 404."""
    row = store.task(db.conn, ward_id, task_id)
    if row is None:
        abort(404)
    who = acting()
    if visible_units(who) is not None and not who.reports_for(row):
        abort(404)
    return row
