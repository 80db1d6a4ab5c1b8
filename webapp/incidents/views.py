"""Thin incident views: parse the filters, query ``models.listings``, render.

Status changes are not made here: the buttons of the record page post to the JSON endpoint
``POST /api/v1/incidents/<id>/transition`` (docs/field-api.md), which checks and records them.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.i18n import N_
from geo.numbers import form_id
from geo.validate import INCIDENT_TRANSITIONS
from models import listings, model_streets, queries, records, writes
from models import photos as photo_store
from models.tables import Incident
from webapp.auth.permissions import can
from webapp.clock import local_today
from webapp.extensions import db
from webapp.incidents import bp
from webapp.templating import parse_page

PER_PAGE = 50
STEP_LABELS = {
    "verified": _l("Xác minh: có vi phạm"),
    "minutes_issued": _l("Lập biên bản"),
    "resolved": _l("Đã xử lý xong"),
    "dismissed": _l("Không vi phạm / hủy"),
}
# Msgids, said where the filter shows them (the vocabulary's are msgids too).
STATUS_CHOICES = {"open": N_("Đang mở (chưa xử lý xong)"), **vocab.INCIDENT_STATUSES,
                  "all": N_("Tất cả")}
_KP_KEY = "incidents.neighbourhood"  # the last khu phố chosen, kept for the session
_LIST_KEY = "incidents.list_query"  # the list's last query, for "back to the list"


def may_view(user=None) -> bool:
    """Those who work incidents, and leaders (read-only)."""
    user = user or current_user
    return can("work_incidents", user) or (user.is_authenticated and user.role == "leader")


def viewers_only(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not may_view():
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _list_filter(args, neighbourhoods) -> tuple[listings.IncidentFilter, dict, list[str]]:
    """The filter asked for, the form values to show again, and what was not understood."""
    problems: list[str] = []
    codes = {kp.code: kp.id for kp in neighbourhoods}
    if "kp" in args:  # a submitted form: remember its khu phố (possibly "all")
        session[_KP_KEY] = args.get("kp", "")
    kp = session.get(_KP_KEY, "")
    if kp and kp not in codes:
        problems.append(_("khu phố '%(value)s'", value=kp))
        kp = session[_KP_KEY] = ""
    status = args.get("status", "open")
    if status not in STATUS_CHOICES:
        problems.append(_("trạng thái '%(value)s'", value=status))
        status = "open"
    statuses = {"open": vocab.OPEN_INCIDENT_STATUSES, "all": ()}.get(status, (status,))
    category = args.get("category", "")
    if category and category not in vocab.INCIDENT_CATEGORIES:
        problems.append(_("loại vi phạm '%(value)s'", value=category))
        category = ""
    months = {}
    for name in ("from", "to"):
        try:
            raw = (args.get(name) or "").strip()
            months[name] = fmt.month_start(raw) if raw else None
        except ValueError:
            problems.append(_("tháng '%(value)s' (nhập dạng yyyy-mm)", value=args.get(name)))
            months[name] = None
    repeat = args.get("repeat") == "1"
    flt = listings.IncidentFilter(statuses=statuses, category=category or None,
                                  neighbourhood_id=codes.get(kp), month_from=months["from"],
                                  month_to=months["to"], repeat_only=repeat)
    form = {"status": status, "category": category, "kp": kp, "repeat": repeat,
            "from": fmt.month_key(months["from"]) if months["from"] else "",
            "to": fmt.month_key(months["to"]) if months["to"] else ""}
    return flt, form, problems


@bp.get("/")
@viewers_only
def index():
    conn = db.conn
    neighbourhoods = queries.neighbourhood_names(conn, current_user.ward_id)
    flt, form, problems = _list_filter(request.args, neighbourhoods)
    page = listings.incident_page(conn, current_user.ward_id, flt,
                                  parse_page(request.args.get("page")), PER_PAGE)
    session[_LIST_KEY] = request.query_string.decode("ascii", "replace")
    today = local_today()
    rows = [{"row": row, "age": (_day(row.resolved_at or today) - row.observed_at.date()).days}
            for row in page.rows]
    return render_template(
        "incidents/index.html", page=page, rows=rows, form=form, problems=problems,
        months=_months(*queries.incident_date_range(conn, current_user.ward_id)),
        neighbourhoods=neighbourhoods, categories=vocab.INCIDENT_CATEGORIES,
        statuses=vocab.INCIDENT_STATUSES, status_choices=STATUS_CHOICES,
        open_statuses=vocab.OPEN_INCIDENT_STATUSES,
    )


@bp.get("/<int:incident_id>")
@viewers_only
def detail(incident_id: int):
    conn = db.conn
    ward_id = current_user.ward_id
    incident = listings.incident_record(conn, ward_id, incident_id)
    if incident is None:
        abort(404)
    # The workflow the transition endpoint enforces (docs/field-api.md).
    steps = INCIDENT_TRANSITIONS.get(incident.status, ()) if can("work_incidents") else ()
    query = session.get(_LIST_KEY, "")
    back = url_for("incidents.index") + (f"?{query}" if query else "")
    end = incident.resolved_at or local_today()
    campaigns = model_streets.running_campaigns(conn, ward_id, incident.observed_at.date(),
                                                incident.lon, incident.lat) \
        if can("work_incidents") else []
    return render_template(
        "incidents/detail.html", incident=incident, back=back, campaigns=campaigns,
        events=records.incident_events(conn, ward_id, incident_id),
        photos=photo_store.photos_of(conn, ward_id, "incident", incident_id),
        steps={step: STEP_LABELS[step] for step in steps},
        age=(_day(end) - incident.observed_at.date()).days,
        categories=vocab.INCIDENT_CATEGORIES, statuses=vocab.INCIDENT_STATUSES,
        open_statuses=vocab.OPEN_INCIDENT_STATUSES,
        transition_url=url_for("api.index") + f"incidents/{incident_id}/transition",
        map_url=url_for("map.index", neighbourhood=incident.kp_code) if incident.kp_code
        else url_for("map.index"),
    )


@bp.post("/<int:incident_id>/campaign")
@viewers_only
def set_campaign(incident_id: int):
    """Tag an incident to a campaign running on its day and place (or to none)."""
    if not can("work_incidents"):
        abort(403)
    ward_id = current_user.ward_id
    incident = listings.incident_record(db.conn, ward_id, incident_id)
    if incident is None:
        abort(404)
    raw = request.form.get("campaign_id", "")
    allowed = {c.id for c in model_streets.running_campaigns(
        db.conn, ward_id, incident.observed_at.date(), incident.lon, incident.lat)}
    chosen = form_id(raw)
    if raw and chosen not in allowed:
        flash(_("Đợt ra quân này không diễn ra vào ngày, tại nơi ghi nhận vụ việc."), "error")
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    with db.transaction() as tx:
        writes.update_point_record(tx, Incident.__table__, ward_id, incident_id,
                                    {"campaign_id": chosen})
        records.audit(tx, ward_id, current_user.id, "incident_campaign", "incident",
                      incident_id, campaign_id=chosen)
    flash(_("Đã cập nhật đợt ra quân của vụ việc."), "info")
    return redirect(url_for("incidents.detail", incident_id=incident_id))


def _months(first, last) -> list[tuple[str, str]]:
    """(yyyy-mm, mm/yyyy) of every month from the first to the last incident, newest first."""
    if first is None or last is None:
        return []
    index, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    months = [(f"{i // 12:04d}-{i % 12 + 1:02d}", f"{i % 12 + 1:02d}/{i // 12:04d}")
              for i in range(index, end + 1)]
    return months[::-1]


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value
