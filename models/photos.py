"""Photos of records (a house, an incident, a model street, a register entry): stored in the
database with their size and SHA-256, always read within the ward."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from models.tables import Photo


def add_photo(conn: Connection, ward_id: int, entity: str, entity_id: int, *, data: bytes,
              content_type: str, width: int, height: int, sha256: str,
              user_id: int | None) -> int:
    stmt = insert(Photo).returning(Photo.id)
    return conn.execute(stmt, [{
        "ward_id": ward_id, "entity": entity, "entity_id": entity_id, "data": data,
        "content_type": content_type, "width": width, "height": height, "sha256": sha256,
        "user_id": user_id,
    }]).scalar_one()


def photos_of(conn: Connection, ward_id: int, entity: str, entity_id: int) -> list:
    stmt = select(Photo.id, Photo.width, Photo.height, Photo.created_at).where(
        Photo.ward_id == ward_id, Photo.entity == entity, Photo.entity_id == entity_id
    ).order_by(Photo.id)
    return list(conn.execute(stmt))


def remove_photos(conn: Connection, ward_id: int, entity: str, entity_id: int,
                  photo_ids: list[int]) -> list[tuple[int, str]]:
    """Delete those of ``photo_ids`` that belong to the record; ``(id, sha256)`` of each
    deleted, in id order (what an audit row names)."""
    if not photo_ids:
        return []
    stmt = (delete(Photo).where(Photo.ward_id == ward_id, Photo.entity == entity,
                                Photo.entity_id == entity_id, Photo.id.in_(photo_ids))
            .returning(Photo.id, Photo.sha256))
    return sorted((row.id, row.sha256) for row in conn.execute(stmt))


def photo(conn: Connection, ward_id: int, photo_id: int):
    stmt = select(Photo.id, Photo.entity, Photo.entity_id, Photo.content_type, Photo.data).where(
        Photo.ward_id == ward_id, Photo.id == photo_id)
    return conn.execute(stmt).first()
