"""A ward's plan: saved versions (the newest is in force) and manual targets' monthly values."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from models.tables import PlanVersion, TargetValue, User


def current_plan(conn: Connection, ward_id: int) -> dict | None:
    """The body of the newest plan version saved for the ward (``None``: none yet)."""
    stmt = select(PlanVersion.body).where(PlanVersion.ward_id == ward_id).order_by(
        PlanVersion.id.desc()).limit(1)
    return conn.execute(stmt).scalar()


def plan_versions(conn: Connection, ward_id: int) -> list:
    stmt = (select(PlanVersion.id, PlanVersion.version, PlanVersion.created_at,
                   User.full_name, User.username)
            .outerjoin(User, User.id == PlanVersion.created_by)
            .where(PlanVersion.ward_id == ward_id).order_by(PlanVersion.id.desc()))
    return list(conn.execute(stmt))


def plan_version(conn: Connection, ward_id: int, version_id: int) -> dict | None:
    stmt = select(PlanVersion.body).where(PlanVersion.ward_id == ward_id,
                                          PlanVersion.id == version_id)
    return conn.execute(stmt).scalar()


def save_plan(conn: Connection, ward_id: int, body: dict, user_id: int | None) -> None:
    conn.execute(insert(PlanVersion), [{"ward_id": ward_id, "version": body["version"],
                                        "body": body, "created_by": user_id}])


def plan_version_names(conn: Connection, ward_id: int) -> set[str]:
    stmt = select(PlanVersion.version).where(PlanVersion.ward_id == ward_id)
    return set(conn.execute(stmt).scalars())


def target_values(conn: Connection, ward_id: int) -> dict[str, list[tuple[str, float]]]:
    """``{target code: [(month, value), …]}`` in month order."""
    stmt = select(TargetValue.target_code, TargetValue.month, TargetValue.value).where(
        TargetValue.ward_id == ward_id).order_by(TargetValue.month)
    out: dict[str, list[tuple[str, float]]] = {}
    for code, month, value in conn.execute(stmt):
        out.setdefault(code, []).append((month, float(value)))
    return out


def month_target_values(conn: Connection, ward_id: int, month: str) -> dict[str, tuple]:
    """``{target code: (value, note)}`` entered for ``month``."""
    stmt = select(TargetValue.target_code, TargetValue.value, TargetValue.note).where(
        TargetValue.ward_id == ward_id, TargetValue.month == month)
    return {code: (value, note) for code, value, note in conn.execute(stmt)}


def set_target_values(conn: Connection, ward_id: int, month: str,
                      values: dict[str, tuple[float | None, str | None]],
                      user_id: int | None) -> None:
    """Replace the month's values of these targets; a ``None`` value clears one."""
    if not values:
        return
    conn.execute(delete(TargetValue).where(
        TargetValue.ward_id == ward_id, TargetValue.month == month,
        TargetValue.target_code.in_(list(values))))
    rows = [{"ward_id": ward_id, "month": month, "target_code": code, "value": value,
             "note": note, "entered_by": user_id}
            for code, (value, note) in values.items() if value is not None]
    if rows:
        conn.execute(insert(TargetValue), rows)
