"""The monthly report's SQL: the month's inspections counted, staff entries read and saved."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from models.tables import Inspection, MonthlyReportEntry


def inspection_counts(conn: Connection, ward_id: int, start: datetime, end: datetime
                      ) -> tuple[int, int, int]:
    """Inspections in ``[start, end)`` (ward time), the houses they covered, and how many
    passed fire safety."""
    row = conn.execute(select(
        func.count(), func.count(func.distinct(Inspection.boarding_house_id)),
        func.count().filter(Inspection.fire_safety_pass.is_(True)),
    ).where(Inspection.ward_id == ward_id, Inspection.inspected_at >= start,
            Inspection.inspected_at < end)).one()
    return int(row[0]), int(row[1]), int(row[2])


def entries(conn: Connection, ward_id: int, month: str) -> list:
    """Staff entries of the month, one row per target code."""
    return list(conn.execute(select(MonthlyReportEntry).where(
        MonthlyReportEntry.ward_id == ward_id, MonthlyReportEntry.month == month)))


def replace_entries(conn: Connection, ward_id: int, month: str, codes: list[str],
                    rows: list[dict]) -> None:
    """The month's entries of the targets ``codes`` replaced by ``rows`` (column values)."""
    conn.execute(delete(MonthlyReportEntry).where(
        MonthlyReportEntry.ward_id == ward_id, MonthlyReportEntry.month == month,
        MonthlyReportEntry.target_code.in_(codes)))
    if rows:
        conn.execute(insert(MonthlyReportEntry), rows)
