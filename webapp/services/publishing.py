"""Publishing a month's ranking safely: only once the month has ended in the ward's time
(early only by an admin, with a reason), and never changed — an admin supersedes a
published month with a new revision and a reason. Both are audited.

``options`` says what a user may do for a month; the page shows only those buttons and
``publish`` refuses the rest, from the same rules.

The plan's target figures are published the same way. A live computation of the targets is
not a published figure — the public page must not show one — so the month's figures are
frozen into ``target_snapshot`` (append-only, in the ledger) when its ranking is first
published, or by the explicit "công bố tiến độ chỉ tiêu" of an ended month
(``publish_targets``); both audited. A later change of the data changes the targets page,
never what was published.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from geo import formatting as fmt
from geo import ranking
from geo.i18n import N_, Figure, Msgid
from models import ledger, records
from webapp.auth.permissions import can
from webapp.clock import local_now
from webapp.errors import ApiError
from webapp.services.analysis import compute, rubric_for, targets_view
from webapp.services.plans import plan_for
from webapp.services.reports import as_of

REASON_LENGTH = (5, 500)
# What a published target keeps: the plan's own texts and the figures, nothing else.
FROZEN_TARGET_KEYS = ("code", "label", "lead", "metric", "kind", "unit", "value", "detail",
                      "target", "deadline", "phase", "status", "is_share")


@dataclass(frozen=True)
class Options:
    """What the user may do with the month: publish (``early``: before it ends, needs a
    reason) or supersede the published ranking (needs a reason)."""

    publish: bool
    early: bool
    supersede: bool


def _label(month: str) -> Figure:
    """The month of a refusal, written in its reader's locale: 11/2026, November 2026."""
    return Figure(fmt.month, month)


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
                                "do."),
                        params={"month": _label(month), "day": Figure(fmt.day, end)})
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
        if ledger.target_snapshot(conn, ward.id, month) is None:
            _freeze_targets(conn, ward, user, month, with_ranking=True)
    return snapshot_id


# --- the plan's target figures ------------------------------------------------------------

def frozen_targets(conn, ward, month: str) -> list[dict]:
    """The month's target figures as of its last day (or today, if the month is open)."""
    day = as_of(month, local_now().date())
    return [{key: row.get(key) for key in FROZEN_TARGET_KEYS}
            for row in targets_view(conn, ward, day)]


def _freeze_targets(conn, ward, user, month: str, with_ranking: bool) -> int | None:
    rows = frozen_targets(conn, ward, month)
    if not rows:  # a plan without targets has nothing to publish
        return None
    version = plan_for(conn, ward).version
    digest = ranking.content_hash(month, version, rows)
    snapshot_id = ledger.publish_targets(conn, ward.id, month, version, rows, digest,
                                         user.id, local_now())
    records.audit(conn, ward.id, user.id, "publish_targets", "target_snapshot", snapshot_id,
                  month=month, content_hash=digest, plan_version=version,
                  with_ranking=with_ranking)
    return snapshot_id


def publish_targets(conn, ward, user, month: str) -> int:
    """The explicit "công bố tiến độ chỉ tiêu" of an ended month; the snapshot's id.
    Had another writer published it meanwhile, the database refuses (IntegrityError)."""
    if month_state(month) != "ended":
        raise ApiError(400, N_("Tháng %(month)s chưa kết thúc: chỉ công bố được tiến độ chỉ "
                               "tiêu của tháng đã qua."),
                       params={"month": _label(month)})
    if ledger.target_snapshot(conn, ward.id, month) is not None:
        raise ApiError(409, N_("Tiến độ chỉ tiêu tháng %(month)s đã được công bố; bản đã "
                               "công bố không thể sửa."),
                       params={"month": _label(month)})
    snapshot_id = _freeze_targets(conn, ward, user, month, with_ranking=False)
    if snapshot_id is None:
        raise ApiError(400, N_("Kế hoạch của phường chưa có chỉ tiêu nào để công bố."))
    return snapshot_id

