"""The demo's units and tasks (``data/work/demo.yaml``), so the work pages are not empty.

Deadlines and progress are days relative to the load, so every early-warning state shows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import yaml

from geo.resources import DATA_DIR
from models import queries, records
from models import work_queries as store

DEMO_FILE = DATA_DIR / "work" / "demo.yaml"


def load(conn, ward_id: int, now: datetime) -> dict[str, int]:
    """Store the demo's units, members, tasks and their progress; counts per kind."""
    spec = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    kp = [r.id for r in queries.neighbourhood_names(conn, ward_id)]
    units = {}
    for unit in spec["units"]:
        index = unit.get("neighbourhood")
        units[unit["name"]] = store.save_unit(conn, ward_id, {
            "name": unit["name"], "kind": unit["kind"], "aliases": unit.get("aliases", []),
            "neighbourhood_id": kp[index] if index is not None and index < len(kp) else None})
        for username in unit.get("members", ()):
            user = records.user_by_username(conn, username)
            if user is not None:
                store.add_member(conn, ward_id, units[unit["name"]], user.id, None)
    today = now.date()
    for task in spec["tasks"]:
        progress = task.get("progress")
        done = progress and progress["percent"] >= 100
        when = now - timedelta(days=progress["days_ago"]) if progress else None
        task_id = store.save_task(conn, ward_id, {
            "code": task["code"], "title": task["title"], "product": task["product"],
            "measure_unit": task.get("measure_unit"), "ward_quantity": task.get("ward_quantity"),
            "target_quantity": task.get("target_quantity", task.get("ward_quantity")),
            "lead_unit_id": units[task["lead"]],
            "co_unit_ids": sorted(units[name] for name in task.get("co", ())),
            "approver_unit_id": units.get(task.get("approver")),
            "deadline": today + timedelta(days=task["deadline_days"]),
            "target_code": task.get("target_code"), "milestones": [],
            "percent": progress["percent"] if progress else 0.0,
            "result_value": progress.get("value") if progress else None,
            "last_progress_at": when, "done_on": when.date() if done else None}, None)
        if task.get("created_days_ago"):
            store.backdate_task(conn, ward_id, task_id,
                                now - timedelta(days=task["created_days_ago"]))
        if progress:
            store.add_progress(conn, ward_id, {
                "task_id": task_id, "unit_id": units[task["lead"]], "value": progress.get("value"),
                "percent": progress["percent"], "note": progress.get("note"),
                "reported_at": when, "user_id": None})
    return {"units": len(units), "tasks": len(spec["tasks"])}
