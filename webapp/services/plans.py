"""The ward's plan in force, its saved versions, and the monthly values of manual targets."""

from __future__ import annotations

import json
import re

from geo.i18n import N_, Message
from geo.plan import Plan, PlanError
from models import plans, records
from webapp.clock import local_now

# A ward that never saved a plan (one set up before plans were the ward's own data):
# the synthetic demo follows Tam Phước's plan, any other ward the neutral one.
FALLBACK_PRESET = {True: "tam-phuoc", False: "mac-dinh"}
# Checked plans by their stored text: a version name is unique in one database only, and
# one process may serve several (the tests do).
_CACHE: dict[str, Plan] = {}


def plan_for(conn, ward) -> Plan:
    """The plan in force for ``ward`` (a row with ``id`` and ``is_synthetic``)."""
    body = plans.current_plan(conn, ward.id)
    if body is None:
        return Plan.preset(FALLBACK_PRESET[bool(getattr(ward, "is_synthetic", False))])
    key = json.dumps(body, sort_keys=True, default=str)
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = Plan.from_mapping(body)
    return _CACHE[key]


def new_version(conn, ward_id: int, stem: str = "phuong") -> str:
    """``stem-YYYYMMDD-HHMM`` (a suffix when saved twice in the same minute)."""
    stem = re.sub(r"[^a-z0-9\-]+", "-", stem.lower()).strip("-")[:40] or "phuong"
    base = f"{stem}-{local_now():%Y%m%d-%H%M}"
    existing = plans.plan_version_names(conn, ward_id)
    version, n = base, 1
    while version in existing:
        n += 1
        version = f"{base}-{n}"
    return version


def save(tx, ward, plan: Plan, user_id: int | None, action: str = "edit_plan") -> Plan:
    """Store ``plan`` as the ward's newest version (a fresh version name) and audit it."""
    previous = plans.current_plan(tx, ward.id)
    body = plan.as_mapping()
    body["version"] = new_version(tx, ward.id)
    stored = Plan.from_mapping(body)
    plans.save_plan(tx, ward.id, stored.as_mapping(), user_id)
    records.audit(tx, ward.id, user_id, action, "plan_version", None, version=body["version"],
                  previous=(previous or {}).get("version"))
    return stored


def from_upload(text: str) -> Plan:
    """A plan read from an uploaded YAML file; ``PlanError`` lists what is wrong."""
    if len(text) > 500_000:
        raise PlanError([Message(N_("Tệp kế hoạch quá lớn (tối đa 500 KB)."))])
    return Plan.from_yaml(text)


__all__ = ["Plan", "PlanError", "from_upload", "new_version", "plan_for", "save"]
