"""Photos of a register entry at the desk, on both backends: added through the photo checks
(EXIF and GPS stripped, scaled down), shown as thumbnails, removed with an audit row; a
required photo field is never emptied, and a bad photo refuses the whole save."""

from __future__ import annotations

import io
import uuid

from PIL import Image
from sqlalchemy import select

from models.registers import RegisterEntry
from models.tables import AuditLog, Photo, User
from tests.geo.test_register_definitions import TREES, xlsform
from tests.helpers import ROLE_USERS
from tests.webapp.field.conftest import INSIDE, field_client, jpeg_with_gps, post  # noqa: F401
from webapp.extensions import db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 120, 60)).save(out, "PNG")
    return out.getvalue()


def _entry(field_client, survey=TREES):  # noqa: F811
    """A register defined from ``survey`` and one entry recorded by the police's phone with
    one photo: (police client, entry page URL, entry id)."""
    admin = field_client("admin")
    code = f"trees_{uuid.uuid4().hex[:6]}"
    raw = xlsform(survey, settings=(("form_title", "form_id"), (f"Cây {code}", code)))
    defined = admin.post("/registers/xlsform", data={
        "xlsform": (io.BytesIO(raw), "trees.xlsx"),
        "csrf_token": admin.csrf_headers["X-CSRFToken"]}, content_type="multipart/form-data")
    assert defined.status_code == 302, defined.get_data(as_text=True)[:800]
    police = field_client("police")
    created = post(police, f"/api/v1/registers/{code}/entries", {
        "uuid": str(uuid.uuid4()), "status": "good", "height": 7, "planted": "2025-03-01",
        "pruned": False, "location": dict(INSIDE)}, [("cay.jpg", jpeg_with_gps())])
    assert created.status_code == 201, created.get_json()
    entry_id = created.get_json()["id"]
    return police, f"/registers/{code}/{entry_id}", entry_id


def _save(client, page: str, photos=(), remove=(), **values):
    form = {"csrf_token": client.csrf_headers["X-CSRFToken"], "status": "good", "height": "7",
            "planted": "2025-03-01", "pruned": "no", "remark": "", "trunk": "",
            "lon": str(INSIDE["lon"]), "lat": str(INSIDE["lat"]), **values,
            "remove_photos": [str(i) for i in remove],
            "photos": [(io.BytesIO(raw), name) for name, raw in photos]}
    return client.post(page, data=form, content_type="multipart/form-data")


def _state(app, entry_id: int):
    """(the entry's attributes, its photo ids, the audit rows about its photos)."""
    with app.app_context():
        attributes = db.conn.execute(select(RegisterEntry.attributes).where(
            RegisterEntry.id == entry_id)).scalar_one()
        photos = list(db.conn.execute(select(Photo.id).where(
            Photo.entity == "register_entry", Photo.entity_id == entry_id)
            .order_by(Photo.id)).scalars())
        audited = [(row.action, row.detail) for row in db.conn.execute(
            select(AuditLog.action, AuditLog.detail).where(
                AuditLog.entity == "register_entry", AuditLog.entity_id == entry_id,
                AuditLog.action.like("%register_photo")).order_by(AuditLog.id))]
    return attributes, photos, audited


def _photo_bytes(app, photo_id: int) -> bytes:
    with app.app_context():
        return bytes(db.conn.execute(select(Photo.data).where(Photo.id == photo_id))
                     .scalar_one())


def test_the_desk_adds_photos_without_exif_and_shows_them(field_client,  # noqa: F811
                                                          writable_app):
    police, page, entry_id = _entry(field_client)
    _, (from_phone,), _ = _state(writable_app, entry_id)
    saved = _save(police, page, [("zalo.jpg", jpeg_with_gps()), ("so-do.png", _png())],
                  height="9")
    assert saved.status_code == 302, saved.get_data(as_text=True)[:800]
    attributes, photos, audited = _state(writable_app, entry_id)
    assert attributes["height"] == 9 and len(photos) == 3 and photos[0] == from_phone
    added = photos[1]
    with Image.open(io.BytesIO(_photo_bytes(writable_app, added))) as image:
        assert image.format == "JPEG" and not image.getexif()  # GPS and camera model gone
        assert max(image.size) == 1600  # 2400 × 1200 scaled down
    assert [action for action, _ in audited] == ["add_register_photo"] * 2
    assert audited[0][1]["photo"] == added

    shown = police.get(page).get_data(as_text=True)
    for photo_id in photos:
        assert f'src="/photos/{photo_id}"' in shown
        assert f'name="remove_photos" value="{photo_id}"' in shown
    assert 'enctype="multipart/form-data"' in shown and 'name="photos"' in shown
    thumbnail = police.get(f"/photos/{added}")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"


def test_removing_a_photo_is_audited(field_client, writable_app):  # noqa: F811
    police, page, entry_id = _entry(field_client)
    assert _save(police, page, [("zalo.jpg", jpeg_with_gps())]).status_code == 302
    _, (wrong, kept), _ = _state(writable_app, entry_id)
    assert _save(police, page, remove=[wrong]).status_code == 302
    _, photos, audited = _state(writable_app, entry_id)
    assert photos == [kept]
    assert audited[-1][0] == "remove_register_photo" and audited[-1][1]["photo"] == wrong
    assert police.get(f"/photos/{wrong}").status_code == 404
    log = field_client("admin").get("/admin/audit?action=remove_register_photo")
    assert log.status_code == 200 and "Xoá ảnh của bản ghi sổ" in log.get_data(as_text=True)


def test_a_required_photo_field_cannot_be_emptied(field_client, writable_app):  # noqa: F811
    police, page, entry_id = _entry(field_client)
    _, (only,), _ = _state(writable_app, entry_id)
    refused = _save(police, page, remove=[only], height="20")
    assert refused.status_code == 400
    assert "Cần ít nhất một ảnh cho “Ảnh”" in refused.get_data(as_text=True)
    attributes, photos, audited = _state(writable_app, entry_id)
    assert photos == [only] and attributes["height"] == 7 and audited == []
    # Replacing it in one save is fine: the new photo comes as the old one goes.
    assert _save(police, page, [("moi.jpg", jpeg_with_gps())], remove=[only]).status_code == 302
    _, photos, audited = _state(writable_app, entry_id)
    assert len(photos) == 1 and photos != [only]
    assert [action for action, _ in audited] == ["add_register_photo", "remove_register_photo"]


def test_an_optional_photo_field_can_be_emptied(field_client, writable_app):  # noqa: F811
    optional = [row if row[1] != "photo" else ["image", "photo", "Ảnh", "", ""]
                for row in TREES]
    police, page, entry_id = _entry(field_client, optional)
    _, (only,), _ = _state(writable_app, entry_id)
    assert _save(police, page, remove=[only]).status_code == 302
    assert _state(writable_app, entry_id)[1] == []


def test_a_bad_photo_refuses_the_whole_save(field_client, writable_app):  # noqa: F811
    police, page, entry_id = _entry(field_client)
    _, (only,), _ = _state(writable_app, entry_id)
    good = jpeg_with_gps()
    for name, raw in (("hong.jpg", b"\xff\xd8\xff\xe0 not a jpeg at all"),  # header refused
                      ("cut.jpg", good[:len(good) // 3])):  # header fine, pixels cut short
        refused = _save(police, page, [("tot.jpg", good), (name, raw)], height="30")
        assert refused.status_code == 400, name
        assert f"Tệp “{name}” không phải ảnh hợp lệ." in refused.get_data(as_text=True)
        attributes, photos, audited = _state(writable_app, entry_id)
        assert attributes["height"] == 7 and photos == [only] and audited == [], name


def test_the_refusal_speaks_english_to_an_english_reader(field_client,  # noqa: F811
                                                         writable_app):
    police, page, entry_id = _entry(field_client)
    with writable_app.app_context(), db.transaction() as tx:
        tx.execute(User.__table__.update().where(User.username == ROLE_USERS["police"])
                   .values(language="en"))
    refused = _save(police, page, [("hong.png", b"\x89PNG\r\n\x1a\n broken")])
    assert refused.status_code == 400
    assert "The file “hong.png” is not a valid image." in refused.get_data(as_text=True)


def test_too_many_photos_are_refused(field_client, writable_app):  # noqa: F811
    police, page, entry_id = _entry(field_client)
    refused = _save(police, page, [(f"{i}.png", _png()) for i in range(5)])
    assert refused.status_code == 400
    assert "Tối đa 5 ảnh cho một bản ghi." in refused.get_data(as_text=True)
    assert len(_state(writable_app, entry_id)[1]) == 1


def test_a_user_without_the_role_cannot_change_photos(field_client,  # noqa: F811
                                                      writable_app):
    police, page, entry_id = _entry(field_client)
    _, (only,), _ = _state(writable_app, entry_id)
    leader = field_client("leader")
    shown = leader.get(page)
    assert shown.status_code == 200  # sees the photos, not the form
    body = shown.get_data(as_text=True)
    assert f'src="/photos/{only}"' in body and 'name="remove_photos"' not in body
    refused = _save(leader, page, [("zalo.jpg", jpeg_with_gps())], remove=[only])
    assert refused.status_code == 403
    assert _state(writable_app, entry_id)[1:] == ([only], [])
