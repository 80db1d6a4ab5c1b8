"""Stored photos, for signed-in users of the same ward."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from models import photos as photo_store
from webapp.extensions import db

bp = Blueprint("photos", __name__)


@bp.get("/photos/<int:photo_id>")
def show(photo_id: int):
    photo = photo_store.photo(db.conn, current_user.ward_id, photo_id)
    if photo is None:
        abort(404)
    return bytes(photo.data), 200, {"Content-Type": photo.content_type,
                                    "Cache-Control": "private, max-age=86400",
                                    "Content-Disposition": f"inline; filename=anh-{photo.id}.jpg"}
