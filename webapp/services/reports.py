"""The monthly progress report (Bảng 3) of one ward: figures from the data, staff entries.

Reads the targets (``services.analysis.targets_view``) and the month's counts, merges what
staff wrote (``monthly_report_entry``) and hands it to ``geo.report``. Validation of the
staff entries (Vietnamese messages) and their saving, in one transaction, live here too.
"""

from __future__ import annotations

import math
from calendar import monthrange
from datetime import date, datetime, timedelta

from geo import report as geo_report
from geo.i18n import translate
from geo.lazy import deferred
from geo.vocabulary import PUBLIC_ORDER
from models import model_streets, queries, records
from models import reports as report_records
from models.queries import LAYERS, LayerFilter
from webapp.clock import local_now
from webapp.services import analysis
from webapp.services.plans import plan_for

pd = deferred("pandas")

FIELDS = ("result_text", "difficulties", "proposals", "next_deadline", "percent")
MAX_TEXT = 2000


def month_bounds(month: str) -> tuple[date, date]:
    year, mon = (int(p) for p in month.split("-"))
    return date(year, mon, 1), date(year, mon, monthrange(year, mon)[1])


def _frame(conn, layer: str, ward_id: int, columns: list[str], flt=None) -> pd.DataFrame:
    return queries.read_layer(conn, LAYERS[layer], ward_id, flt, columns=columns, geometry=False)


def _in(series: pd.Series, first: date, last: date) -> pd.Series:
    when = pd.to_datetime(series, errors="coerce")
    return (when >= pd.Timestamp(first)) & (when < pd.Timestamp(last + timedelta(days=1)))


def month_counts(conn, ward, month: str, base_year: int) -> geo_report.MonthCounts:
    first, last = month_bounds(month)
    incidents = _frame(conn, "incidents", ward.id, analysis.INCIDENT_COLUMNS,
                       LayerFilter(date_from=date(min(first.year - 1, base_year), 1, 1)))
    observed = _in(incidents["observed_at"], first, last)
    resolved = _in(incidents["resolved_at"], first, last) & incidents["status"].eq("resolved")
    ads = incidents["category"].eq("illegal_advertising") & incidents["model_street_id"].notna()
    public = incidents["category"].isin(PUBLIC_ORDER)
    base = None
    if first.year > base_year:
        base_first = first.replace(year=base_year)
        base_last = base_first.replace(day=monthrange(base_year, first.month)[1])
        base = int((public & _in(incidents["observed_at"], base_first, base_last)).sum())
    houses = _frame(conn, "boarding-houses", ward.id, analysis.HOUSE_COLUMNS)
    streets = _frame(conn, "model-streets", ward.id, analysis.MODEL_STREET_COLUMNS)
    start = datetime.combine(first, datetime.min.time())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    inspections = report_records.inspection_counts(conn, ward.id, start, end)
    campaigns = [c for c in records.campaigns(conn, ward.id) if first <= c.starts_on <= last]
    # Every campaign running some day of the month, with its results from the incidents in
    # its area and period (webapp.campaigns shows the same figures).
    results = []
    for c in model_streets.campaigns(conn, ward.id):
        if c.starts_on <= last and c.ends_on >= first:
            rows = model_streets.campaign_results(conn, ward.id, c.id)
            results.append((c.name, sum(r.incidents for r in rows),
                            sum(r.resolved for r in rows)))
    snapshot = records.snapshot(conn, ward.id, month)
    return geo_report.MonthCounts(
        incidents_recorded=int(observed.sum()),
        incidents_resolved=int(resolved.sum()),
        inspections=inspections[0], houses_inspected=inspections[1],
        inspections_passed=inspections[2],
        antt_signed=int(_in(houses["antt_commitment_on"], first, last).sum()),
        model_houses_recognised=int(_in(houses["model_recognised_on"], first, last).sum()),
        model_streets_achieved=int(_in(streets["achieved_on"], first, last).sum()),
        campaigns=len(campaigns), campaign_results=results,
        ads_recorded=int((ads & observed).sum()), ads_resolved=int((ads & resolved).sum()),
        public_order=int((public & observed).sum()), public_order_base=base,
        base_year=base_year,
        ranking_published_on=pd.Timestamp(snapshot.published_at).date() if snapshot else None,
    )


def entries(conn, ward_id: int, month: str) -> dict[str, geo_report.Entry]:
    return {row.target_code: geo_report.Entry(
        result_text=row.result_text, difficulties=row.difficulties, proposals=row.proposals,
        next_deadline=row.next_deadline, percent_override=row.percent_override)
        for row in report_records.entries(conn, ward_id, month)}


def as_of(month: str, today: date) -> date:
    """The day the figures are computed for: the month's last day, or today if earlier."""
    return min(month_bounds(month)[1], today)


def build(conn, ward, month: str, today: date | None = None,
          locale: str = "vi") -> geo_report.Report:
    """The ward's report of ``month``, its frame and figures in ``locale`` (the reader's)."""
    today = today or local_now().date()
    day = as_of(month, today)
    plan = plan_for(conn, ward)
    targets = [{**row, "route_name": plan.route_name}
               for row in analysis.targets_view(conn, ward, day)]
    rows = geo_report.build_rows(targets, month_counts(conn, ward, month, plan.baseline_year),
                                 entries(conn, ward.id, month), month, plan.report_due_day,
                                 locale)
    return geo_report.Report(
        ward_name=ward.name, month=month, rows=rows, as_of=day, made_on=today,
        letterhead=geo_report.Letterhead.from_plan(plan.report), due_day=plan.report_due_day,
        synthetic=bool(getattr(ward, "is_synthetic", False)), locale=locale)


# --- staff entries ------------------------------------------------------------------------

def field_name(name: str, code: str) -> str:
    return f"{name}-{code}"


def parse_date(raw: str) -> date:
    text = raw.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_entries(form, codes: list[str], labels: dict[str, str], locale: str = "vi"
                  ) -> tuple[dict[str, geo_report.Entry], dict[str, str]]:
    """Entries by target code from the form, and errors by field name (in ``locale``)."""
    parsed, errors = {}, {}
    for code in codes:
        raw = {f: (form.get(field_name(f, code)) or "").strip() for f in FIELDS}
        where = labels.get(code, code)
        entry = geo_report.Entry()
        for name in ("result_text", "difficulties", "proposals"):
            if len(raw[name]) > MAX_TEXT:
                errors[field_name(name, code)] = translate(
                    "%(where)s: tối đa %(limit)s ký tự (đang có %(length)s).", locale,
                    where=where, limit=MAX_TEXT, length=len(raw[name]))
            setattr(entry, name, raw[name] or None)
        if raw["next_deadline"]:
            try:
                entry.next_deadline = parse_date(raw["next_deadline"])
            except ValueError:
                errors[field_name("next_deadline", code)] = translate(
                    "%(where)s: thời hạn '%(raw)s' không hợp lệ — nhập ngày dạng dd/mm/yyyy, "
                    "ví dụ 20/11/2026.", locale, where=where, raw=raw["next_deadline"])
        if raw["percent"]:
            try:
                value = float(raw["percent"].rstrip("%").strip().replace(",", "."))
                if math.isnan(value) or not 0 <= value <= 100:
                    raise ValueError(value)
                entry.percent_override = round(value, 2)
            except ValueError:
                errors[field_name("percent", code)] = translate(
                    "%(where)s: tỷ lệ hoàn thành '%(raw)s' không hợp lệ — nhập một số từ 0 đến "
                    "100 (có thể dùng dấu phẩy thập phân, ví dụ 62,5).", locale, where=where,
                    raw=raw["percent"])
        parsed[code] = entry
    return parsed, errors


def _blank(entry: geo_report.Entry) -> bool:
    return not any((entry.result_text, entry.difficulties, entry.proposals,
                    entry.next_deadline, entry.percent_override is not None))


def save_entries(tx, ward_id: int, month: str, new: dict[str, geo_report.Entry],
                 user_id: int | None) -> int:
    """Replace the month's entries for these targets (on ``tx``: one transaction)."""
    rows = [{"ward_id": ward_id, "month": month, "target_code": code,
             "result_text": e.result_text, "difficulties": e.difficulties,
             "proposals": e.proposals, "next_deadline": e.next_deadline,
             "percent_override": e.percent_override, "updated_by": user_id}
            for code, e in new.items() if not _blank(e)]
    report_records.replace_entries(tx, ward_id, month, list(new), rows)
    records.audit(tx, ward_id, user_id, "edit_monthly_report", "monthly_report_entry", None,
                  month=month, rows=len(rows))
    return len(rows)


def deadline_state(month: str, today: date, due_day: int) -> dict:
    """Where today stands against the report's deadline (the plan's due day of the month)."""
    due = geo_report.due_date(month, due_day)
    first, _ = month_bounds(month)
    days = (due - today).days
    if today < first:
        state = "future"
    elif days > 0:
        state = "open"
    else:
        state = "late"
    return {"due": due, "days_left": days, "state": state, "today": today}
