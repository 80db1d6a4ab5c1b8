"""The ranking's inputs an admin enters: rubric versions (the newest applies) and the manual
scores of a month (criteria the data cannot measure)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, insert, select

from models.tables import ManualScore, RubricVersion, User


def current_rubric(conn: Connection, ward_id: int) -> dict | None:
    """The newest rubric an admin saved for the ward (``None``: the default applies)."""
    stmt = select(RubricVersion.body).where(RubricVersion.ward_id == ward_id).order_by(
        RubricVersion.id.desc()).limit(1)
    return conn.execute(stmt).scalar()


def rubric_versions(conn: Connection, ward_id: int) -> list:
    stmt = (select(RubricVersion.version, RubricVersion.created_at, User.full_name)
            .outerjoin(User, User.id == RubricVersion.created_by)
            .where(RubricVersion.ward_id == ward_id).order_by(RubricVersion.id.desc()))
    return list(conn.execute(stmt))


def save_rubric(conn: Connection, ward_id: int, body: dict, user_id: int | None) -> None:
    conn.execute(insert(RubricVersion), [{"ward_id": ward_id, "version": body["version"],
                                          "body": body, "created_by": user_id}])


def manual_scores(conn: Connection, ward_id: int, month: str) -> list:
    stmt = select(ManualScore.neighbourhood_id, ManualScore.criterion, ManualScore.points).where(
        ManualScore.ward_id == ward_id, ManualScore.month == month)
    return list(conn.execute(stmt))


def manual_score_versions(conn: Connection, ward_id: int) -> dict[str, tuple]:
    """Per month with manual scores: their count, last id and last change (for caches)."""
    stmt = select(ManualScore.month, func.count(), func.max(ManualScore.id),
                  func.max(ManualScore.updated_at)).where(
        ManualScore.ward_id == ward_id).group_by(ManualScore.month)
    return {month: tuple(rest) for month, *rest in conn.execute(stmt)}


def set_manual_scores(conn: Connection, ward_id: int, month: str,
                      scores: dict[tuple[int, str], float | None], user_id: int | None) -> None:
    """Replace the month's manual scores; ``None`` clears a score."""
    for (neighbourhood_id, criterion), points in scores.items():
        conn.execute(delete(ManualScore).where(
            ManualScore.ward_id == ward_id, ManualScore.month == month,
            ManualScore.neighbourhood_id == neighbourhood_id,
            ManualScore.criterion == criterion))
        if points is not None:
            conn.execute(insert(ManualScore), [{
                "ward_id": ward_id, "month": month, "neighbourhood_id": neighbourhood_id,
                "criterion": criterion, "points": points, "entered_by": user_id}])
