"""Exactly-once submissions: parse, fingerprint, replay or refuse, then one transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from geo.i18n import N_, Joined, Message
from geo.text import nfc
from geo.validate import validate_uuid
from models import photos as photo_store
from models import records
from webapp import jsonio
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.services.photos import PhotoError, PhotoUpload, check_photos


class Raced(Exception):
    """A handler found that what it would create already exists: another request with the
    same UUID committed while this one was running. ``run`` answers it as a replay."""

    def __init__(self, refusal: ApiError) -> None:
        super().__init__(refusal.message_en)
        self.refusal = refusal  # the answer if no submission with this UUID turns up


def invalid(errors: list[tuple[str, str]]) -> ApiError:
    summary = Joined([m for _, m in errors], "; ")
    return ApiError(400, N_("Chưa lưu được: %(summary)s"), code="invalid", errors=errors,
                    params={"summary": summary})


@dataclass
class Submission:
    """What a device sent: its UUID, the payload (NFC), its photos (headers checked, not yet
    decoded: ``run`` decodes them once the handler has validated the record), the
    fingerprint."""

    kind: str
    target: str | None
    payload: dict
    uuid: object = None
    photos: list[PhotoUpload] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    receipted: bool = False  # the handler wrote the receipt with the record (``receipt``)
    decoded: list | None = None  # the photos once decoded (``decoded_photos``)

    def decoded_photos(self) -> list:
        """The photos decoded, once. A handler asks when its record has validated and
        before its first write, so that no lock its writes take (a tile cell's count, a
        house's row) is held while photos decode; ``run`` asks after the handler in any
        case. A photo that fails refuses the whole record."""
        if self.decoded is None:
            self.decoded = _decoded(self.photos)
        return self.decoded

    def receipt(self, ward_id: int, user_id: int | None, entity: str) -> dict:
        """The receipt's row (without ``entity_id``) for a handler that writes it in the
        record's own statement; ``run`` then writes none."""
        self.receipted = True
        return {"ward_id": ward_id, "client_uuid": self.uuid, "kind": self.kind,
                "entity": entity, "content_hash": self.content_hash,
                "user_id": user_id}

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(
            {"kind": self.kind, "target": self.target, "payload": self.payload,
             "photos": [p.sha256 for p in self.photos]},
            sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def parse(kind: str, target: str | None, raw_payload: str | None,
          files: list[tuple[str, bytes]]) -> Submission:
    if not raw_payload:
        raise invalid([("payload", Message(N_("Thiếu nội dung bản ghi (payload).")))])
    try:
        payload = jsonio.loads(raw_payload)
    except jsonio.JsonRefused as refused:
        raise invalid([("payload", refused.vi)]) from None
    return from_payload(kind, target, payload, files)


def from_payload(kind: str, target: str | None, payload,
                 files: list[tuple[str, bytes]]) -> Submission:
    """The submission of an already decoded payload (``parse``, or one record of a batch:
    the same record gets the same content hash however it travelled)."""
    if not isinstance(payload, dict):
        raise invalid([("payload", Message(N_("Nội dung bản ghi phải là một đối tượng JSON.")))])
    submission = Submission(kind, target, nfc(payload))
    submission.uuid, submission.errors = validate_uuid(submission.payload)
    submission.photos = check_photos(files, submission.errors)  # headers only: no decoding
    if submission.uuid is None:
        raise invalid(submission.errors)
    return submission


# A handler stores the record on ``conn`` and returns (entity, entity id, notes for the
# "derived" part of the answer, e.g. a location note).
Handler = Callable[..., tuple[str, int, dict]]


def receipted(ward, uuids: list) -> set:
    """Which of ``uuids`` the ward already has a submission for: one statement for a
    batch's records, which are then stored as ``unseen`` (``run``)."""
    return records.receipted(db.conn, ward.id, uuids)


def run(submission: Submission, ward, user, handler: Handler,
        describe: Callable[..., dict], unseen: bool = False) -> tuple[int, dict]:
    """Store ``submission`` exactly once; returns (HTTP status, body). ``unseen``: the
    caller found no receipt for this UUID moments ago (a batch looks its records up in
    one statement), so the record is stored without looking again — the receipt's unique
    key still refuses a second copy that raced in, answered as a replay, and a refusal
    looks again, so a stored record is never answered as refused."""
    try:
        with db.transaction() as conn:
            prior = None if unseen else records.submission(conn, ward.id, submission.uuid)
            if prior is not None:
                return _replay(conn, prior, submission, ward, describe)
            return _store(conn, submission, ward, user, handler, describe)
    except ApiError:
        if not unseen:
            raise
        with db.transaction() as conn:  # the refused record's writes are rolled back
            prior = records.submission(conn, ward.id, submission.uuid)
            if prior is None:
                raise
            return _replay(conn, prior, submission, ward, describe)
    except (IntegrityError, Raced) as race:
        # The same UUID arrived twice at once: the other request won; answer as a replay.
        with db.transaction() as conn:
            prior = records.submission(conn, ward.id, submission.uuid)
            if prior is None:
                if isinstance(race, Raced):
                    raise race.refusal from None
                raise
            return _replay(conn, prior, submission, ward, describe)


def _store(conn, submission: Submission, ward, user, handler: Handler,
           describe: Callable[..., dict]) -> tuple[int, dict]:
    if submission.errors:
        raise invalid(submission.errors)
    entity, entity_id, notes = handler(conn, submission)  # validates, then stores
    for photo in submission.decoded_photos():
        photo_store.add_photo(conn, ward.id, entity, entity_id, data=photo.data,
                          content_type="image/jpeg", width=photo.width,
                          height=photo.height, sha256=photo.sha256, user_id=user.id)
    if not submission.receipted:
        records.record_submission(conn, ward.id, submission.uuid, submission.kind,
                                  entity, entity_id, submission.content_hash, user.id)
    body = describe(conn, entity, entity_id)
    body["uuid"] = str(submission.uuid)
    body["derived"].update(notes)
    return 201, body


def _decoded(photos: list[PhotoUpload]):
    """The photos decoded, after the record validated; a photo that fails refuses the
    whole record (raised inside its transaction, so nothing of it is kept)."""
    try:
        return [photo.clean() for photo in photos]
    except PhotoError as err:
        raise invalid([("photos", err.args[0])]) from None


def _replay(conn, prior, submission: Submission, ward, describe) -> tuple[int, dict]:
    if prior.content_hash != submission.content_hash or prior.kind != submission.kind:
        raise ApiError(409, N_("Mã bản ghi (UUID) này đã được dùng cho một nội dung khác; "
                               "không lưu gì thêm."), code="uuid_reused",
                       errors=[("uuid", Message(N_("Mã bản ghi đã dùng cho nội dung khác.")))])
    body = describe(conn, prior.entity, prior.entity_id)
    body.update(uuid=str(submission.uuid), replayed=True)
    return 200, body
