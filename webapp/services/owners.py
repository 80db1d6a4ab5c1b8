"""Owners' rights under Law 91/2025/QH15 on personal data: see everything held about one
boarding-house owner, hand it over as a file, erase it where the law allows.

Every step is audited on the transaction that read or changed the data, one row per house
(so a house's audit trail shows it). Audit rows never carry the personal data itself: the
owner is named only by a keyed hash (HMAC-SHA256 with the installation's secret) of the ID
number, which lets an auditor match requests about one person without learning the number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from geo.i18n import N_, Message
from geo.text import tidy
from geo.validate import ID_NUMBER_PROBLEM, normalise_id_number, normalise_phone
from models import listings, owners, records
from models.owners import ERASED_MARKER
from webapp.clock import local_now, ward_now

KINDS = {"id_number": N_("Số CCCD/CMND"), "phone": N_("Số điện thoại")}  # msgids
MAX_NOTE = 500
# The document handed to the owner is the ward's record under Vietnamese law: it is written
# in Vietnamese (its title and the msgids of KINDS), whoever downloads it.
DOCUMENT_TITLE = "Dữ liệu cá nhân của chủ cơ sở lưu trú (Luật 91/2025/QH15)"


class OwnerRequestError(ValueError):
    """A request that cannot be carried out; the message (``args[0]``, a
    ``geo.i18n.Message``) says why, in the reader's language where shown."""


@dataclass(frozen=True)
class Lookup:
    kind: str  # "id_number" or "phone"
    value: str  # normalised as validation stores it

    def where(self) -> dict:
        return {self.kind: self.value}


def parse_lookup(kind: str | None, raw: str | None) -> Lookup:
    """The ID number or phone as validation stores it (``normalise_id_number``,
    ``normalise_phone``: full-width digits typed on a phone keyboard still match)."""
    text = (raw or "").strip()
    if not text:
        raise OwnerRequestError(Message(N_("Nhập số CCCD/CMND hoặc số điện thoại của chủ cơ "
                                           "sở.")))
    if kind == "phone":
        phone = normalise_phone(text)
        if phone is None:
            raise OwnerRequestError(Message(N_("Số điện thoại không hợp lệ (10 số, bắt đầu bằng "
                                               "0 hoặc +84).")))
        return Lookup("phone", phone)
    if kind == "id_number":
        digits = normalise_id_number(text)
        if digits is None:
            raise OwnerRequestError(Message(ID_NUMBER_PROBLEM))
        return Lookup("id_number", digits)
    raise OwnerRequestError(Message(N_("Chọn tìm theo số CCCD/CMND hoặc theo số điện thoại.")))


def owner_key(id_number: str | None, secret: str) -> str | None:
    """The keyed hash that stands for an ID number in the audit log (``secret``: the
    installation's SECRET_KEY, so the log alone cannot be searched for a known number)."""
    if not id_number:
        return None
    return hmac.new(secret.encode(), id_number.encode(), hashlib.sha256).hexdigest()


@dataclass
class OwnerData:
    lookup: Lookup
    houses: list  # listings.house_record rows, with the owner's fields
    inspections: list
    incidents: list
    house_photos: dict[int, int]
    inspection_photos: dict[int, int]
    access: list

    @property
    def house_ids(self) -> list[int]:
        return [house.id for house in self.houses]

    def values(self, name: str) -> list[str]:
        return sorted({getattr(h, name) for h in self.houses if getattr(h, name)})


def find(conn, ward_id: int, lookup: Lookup) -> OwnerData | None:
    """Everything held about the owner in the ward (``None``: no house has them)."""
    ids = owners.owner_house_ids(conn, ward_id, **lookup.where())
    if not ids:
        return None
    inspections = owners.inspections_of_houses(conn, ward_id, ids)
    return OwnerData(
        lookup=lookup,
        houses=[listings.house_record(conn, ward_id, i, with_personal_data=True) for i in ids],
        inspections=inspections,
        incidents=owners.incidents_of_houses(conn, ward_id, ids),
        house_photos=owners.photo_counts(conn, ward_id, "boarding_house", ids),
        inspection_photos=owners.photo_counts(conn, ward_id, "inspection",
                                              [i.id for i in inspections]),
        access=owners.access_log(conn, ward_id, ids),
    )


def _audit(tx, ward_id: int, user_id: int, action: str, found: OwnerData, secret: str,
           **detail) -> None:
    keys = {house.id: owner_key(house.owner_id_number, secret) for house in found.houses}
    for house_id, key in keys.items():
        records.audit(tx, ward_id, user_id, action, "boarding_house", house_id,
                      found_by=found.lookup.kind, owner_key=key,
                      fields=list(listings.PERSONAL_COLUMNS), page="owner_rights", **detail)


def preview(tx, ward_id: int, user_id: int, lookup: Lookup, *, secret: str
            ) -> OwnerData | None:
    found = find(tx, ward_id, lookup)
    if found is not None:
        _audit(tx, ward_id, user_id, "view_personal_data", found, secret)
    return found


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    return value


def _rows(rows) -> list[dict]:
    return [{key: _plain(value) for key, value in row._mapping.items()} for row in rows]


def document(found: OwnerData, ward) -> dict:
    """The owner's data as handed over: what the ward holds, and who has accessed it."""
    houses = _rows(found.houses)
    for house in houses:
        house["photos"] = found.house_photos.get(house["id"], 0)
    inspections = _rows(found.inspections)
    for inspection in inspections:
        inspection["photos"] = found.inspection_photos.get(inspection["id"], 0)
    return {
        "document": DOCUMENT_TITLE,
        "ward": {"code": ward.code, "name": ward.name},
        "created_at": ward_now().isoformat(),
        "found_by": KINDS[found.lookup.kind],
        "owner": {"names": found.values("owner_name"), "phones": found.values("owner_phone"),
                  "id_numbers": found.values("owner_id_number")},
        "boarding_houses": houses,
        "inspections": inspections,
        "incidents": _rows(found.incidents),
        "photos": {"boarding_house": sum(found.house_photos.values()),
                   "inspection": sum(found.inspection_photos.values())},
        "access_log": [
            {"at_utc": _plain(entry.created_at), "action": entry.action,
             "boarding_house_id": entry.entity_id,
             "by": entry.full_name or entry.username, "detail": entry.detail}
            for entry in found.access],
    }


def export(tx, ward, user_id: int, lookup: Lookup, *, secret: str
           ) -> tuple[bytes, str] | None:
    """The owner's data as a JSON file and its name (``None``: not found); audited."""
    found = find(tx, ward.id, lookup)
    if found is None:
        return None
    body = json.dumps(document(found, ward), ensure_ascii=False, indent=2, allow_nan=False)
    _audit(tx, ward.id, user_id, "export_owner_data", found, secret, format="json")
    name = f"du-lieu-chu-co-so-{ward.code}-{local_now().strftime('%Y%m%d-%H%M')}.json"
    return body.encode(), name


def erase(tx, ward_id: int, user_id: int, lookup: Lookup, *, reason: str, legal_basis: str,
          confirmed: bool, secret: str) -> int:
    """Erase the owner's fields from every house of theirs; the number of houses changed."""
    reason, legal_basis = tidy(reason), tidy(legal_basis)
    if not reason or not legal_basis:
        raise OwnerRequestError(Message(N_("Ghi lý do và căn cứ pháp lý của việc xoá.")))
    if len(reason) > MAX_NOTE or len(legal_basis) > MAX_NOTE:
        raise OwnerRequestError(Message(N_("Lý do và căn cứ pháp lý tối đa %(count)s ký tự mỗi "
                                           "mục."), count=MAX_NOTE))
    if not confirmed:
        raise OwnerRequestError(Message(N_("Đánh dấu ô xác nhận rằng pháp luật cho phép xoá dữ "
                                           "liệu này.")))
    found = find(tx, ward_id, lookup)
    if found is None:
        raise OwnerRequestError(Message(N_("Không tìm thấy cơ sở nào của chủ cơ sở này (có thể "
                                           "đã xoá).")))
    personal = [v for n in listings.PERSONAL_COLUMNS for v in found.values(n)
                if v != ERASED_MARKER]
    folded = (reason + " " + legal_basis).casefold()
    if any(value.casefold() in folded for value in personal):
        raise OwnerRequestError(Message(N_("Lý do và căn cứ không được chứa họ tên, số điện "
                                           "thoại hay số CCCD của chủ cơ sở (chúng được ghi vào "
                                           "nhật ký).")))
    _audit(tx, ward_id, user_id, "erase_personal_data", found, secret, reason=reason,
           legal_basis=legal_basis)
    return owners.erase_owner_fields(tx, ward_id, found.house_ids)
