"""The plan editor's form ↔ the plan document: rows of criteria, phases, targets, signatures.

Rows are numbered fields (``t-3-label``); a row whose code and label are both blank, or
whose "xóa" box is ticked, is left out, so admins add rows in the blank ones at the end.
"""

from __future__ import annotations

from geo.io import number
from geo.plan import Plan
from geo.text import nfc

BLANK_ROWS = 3
TARGET_FIELDS = ("code", "label", "lead", "metric", "target", "unit", "deadline", "year_end")
PHASE_FIELDS = ("code", "label", "start", "end")
CRITERION_FIELDS = ("code", "label")
SIGNATURE_FIELDS = ("title", "hint", "name")
REPORT_FIELDS = ("header", "parent", "issuer", "number", "recipient", "place", "title")
MAX_ROWS = 200


def _rows(form, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    rows = []
    for i in range(MAX_ROWS):
        if not any(f"{prefix}-{i}-{f}" in form for f in fields):
            break
        row = {f: nfc((form.get(f"{prefix}-{i}-{f}") or "").strip()) for f in fields}
        if form.get(f"{prefix}-{i}-delete") or not any(v for k, v in row.items()
                                                       if k not in ("metric", "year_end")):
            continue
        rows.append(row)
    return rows


def _number(text: str):
    """A target as staff write it: "100%", "0,2", "1.250", "2" (the import's number parser);
    text that is no number is left for ``Plan.from_mapping`` to refuse with a message."""
    value = text.strip()
    share = value.endswith("%")
    parsed = number(value[:-1] if share else value)
    if not isinstance(parsed, int | float) or isinstance(parsed, bool):
        return text
    return parsed / 100 if share else parsed


def _int(text: str):
    try:
        return int(text)
    except ValueError:
        return text


def body_from_form(form, current: Plan) -> dict:
    """The plan document as the form edits it (``Plan.from_mapping`` checks it)."""
    targets = []
    for row in _rows(form, "t", TARGET_FIELDS):
        deadline = "year_end" if row.pop("year_end") else row["deadline"]
        targets.append({**row, "target": _number(row["target"]), "deadline": deadline,
                        "lead": row["lead"] or None, "unit": row["unit"] or None})
    report = {f: nfc((form.get(f"r-{f}") or "").strip()) for f in REPORT_FIELDS}
    report["signatures"] = _rows(form, "s", SIGNATURE_FIELDS)
    return {
        "version": current.version,
        "name": nfc((form.get("name") or "").strip()),
        "plan_start": (form.get("plan_start") or "").strip(),
        "baseline_year": _int((form.get("baseline_year") or "").strip()),
        "report_cycle_start": (form.get("report_cycle_start") or "").strip(),
        "report_due_day": _int((form.get("report_due_day") or "").strip()),
        "route_name": nfc((form.get("route_name") or "").strip()),
        "model_street_criteria": _rows(form, "c", CRITERION_FIELDS),
        "phases": _rows(form, "p", PHASE_FIELDS),
        "targets": targets,
        "report": report,
        "public_page": form.get("public_page") == "on",
    }


def shown(body: dict) -> dict:
    """A plan document as the form shows it: blank rows added, targets as text."""
    out = dict(body)
    out["model_street_criteria"] = [*body.get("model_street_criteria", []),
                                    *({} for _ in range(BLANK_ROWS))]
    out["phases"] = [*body.get("phases", []), *({} for _ in range(BLANK_ROWS))]
    out["targets"] = [*body.get("targets", []), *({} for _ in range(BLANK_ROWS))]
    report = dict(body.get("report", {}))
    signatures = list(report.get("signatures", []))
    report["signatures"] = signatures + [{} for _ in range(max(0, 3 - len(signatures)))]
    out["report"] = report
    return out
