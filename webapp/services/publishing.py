"""Publishing a month's ranking safely: only once the month has ended in the ward's time
(early only by an admin, with a reason), and never changed — an admin supersedes a
published month with a new revision and a reason. Both are audited.

``options`` says what a user may do for a month; the page shows only those buttons and
``publish`` refuses the rest, from the same rules.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from geo import formatting as fmt
from geo import ranking
from geo.i18n import N_, Msgid
from models import ledger, records
from webapp.auth.permissions import can
from webapp.clock import local_now
from webapp.errors import ApiError
from webapp.services.analysis import compute, rubric_for

REASON_LENGTH = (5, 500)


@dataclass(frozen=True)
class Options:
    """What the user may do with the month: publish (``early``: before it ends, needs a
    reason) or supersede the published ranking (needs a reason)."""

    publish: bool
    early: bool
    supersede: bool


def _label(month: str) -> str:
    return f"{month[5:]}/{month[:4]}"


def month_state(month: str) -> str:
    """``"future"`` (not started), ``"open"`` (under way) or ``"ended"``, in ward time."""
    start, end = ranking.month_range(month)
    now = local_now()
    return "future" if start > now else "open" if end > now else "ended"


def options(user, month: str, published) -> Options:
    state = month_state(month)
    admin = can("override_ranking", user)
    return Options(
        publish=can("publish_ranking", user) and published is None
        and (state == "ended" or state == "open" and admin),
        early=state == "open",
        supersede=admin and published is not None and state != "future")


def _reason(raw: str | None) -> str | None:
    text = " ".join(unicodedata.normalize("NFC", raw or "").split())
    return text or None


def _refusal(user, month: str, published, reason: str | None, supersede: bool):
    """Why the server refuses (an ``ApiError``), or None."""
    state = month_state(month)
    allowed = options(user, month, published)
    if state == "future":
        return ApiError(400, N_("Không thể công bố xếp hạng của tháng chưa bắt đầu."))
    if supersede and not allowed.supersede:
        if published is None:
            return ApiError(400, N_("Tháng %(month)s chưa công bố nên không có bản nào để thay "
                                    "thế."), params={"month": _label(month)})
        return ApiError(403, N_("Chỉ quản trị viên mới được thay thế bảng xếp hạng đã công bố."))
    if not supersede and published is not None:
        return ApiError(409, N_("Xếp hạng tháng %(month)s đã được công bố; bản đã công bố "
                                "không thể sửa."), params={"month": _label(month)})
    if not supersede and not allowed.publish:
        _, end = ranking.month_range(month)
        return ApiError(403, N_("Tháng %(month)s chưa kết thúc: chỉ công bố được từ ngày "
                                "%(day)s (giờ phường). Quản trị viên có thể công bố sớm kèm lý "
                                "do."), params={"month": _label(month), "day": fmt.day(end)})
    low, high = REASON_LENGTH
    if (supersede or allowed.early) and not (reason and low <= len(reason) <= high):
        what = N_("Thay thế bản đã công bố") if supersede else N_(
            "Công bố sớm (trước khi hết tháng)")
        return ApiError(400, N_("%(what)s cần ghi lý do, từ %(low)s đến %(high)s ký tự."),
                        params={"what": Msgid(what), "low": low, "high": high})
    return None


def publish(conn, ward, user, month: str, reason: str | None = None,
            supersede: bool = False) -> int:
    """Publish ``month`` (or supersede its published ranking); the new snapshot's id."""
    reason = _reason(reason)
    official = ledger.snapshot(conn, ward.id, month)
    refused = _refusal(user, month, official, reason, supersede)
    if refused:
        raise refused
    early = month_state(month) == "open"
    rubric = rubric_for(conn, ward.id)
    rows = compute(conn, ward, month, rubric)
    digest = ranking.content_hash(month, rubric.version, rows)
    snapshot_id = ledger.publish_snapshot(
        conn, ward.id, month, rubric.version, rows, digest, user.id, local_now(),
        supersedes=official if supersede else None, early=early,
        reason=reason if early or supersede else None)
    extra = {"early": True} if early else {}
    if supersede:
        records.audit(conn, ward.id, user.id, "supersede_ranking", "ranking_snapshot",
                      snapshot_id, month=month, content_hash=digest, supersedes=official.id,
                      revision=official.revision + 1, reason=reason, **extra)
    else:
        records.audit(conn, ward.id, user.id, "publish_ranking", "ranking_snapshot",
                      snapshot_id, month=month, content_hash=digest,
                      **({"reason": reason, **extra} if early else {}))
    return snapshot_id
