"""``urbanorder verify``: every ward's audit and ranking chains, as messages said in the
reader's language (``geo.i18n.Message``, the chains' own reports from
``models.ledger_verify`` among them)."""

from __future__ import annotations

from geo.i18n import N_, Joined, Message
from models import ledger, ledger_verify, queries
from webapp.services.wards import ward_named

INSTALLATION = N_("Toàn hệ thống (tạo, xóa phường)")


def verify(conn, ward_code: str | None = None) -> tuple[list[Message], bool]:
    """One line per ward (and for the installation's own chain when no ward is named), and
    whether every chain is intact. ``WardError`` for an unknown ward code."""
    if ward_code:
        ward = ward_named(conn, ward_code)
        targets = [(ward.id, f"{ward.name} ({ward.code})")]
    else:
        targets = [(w.id, f"{w.name} ({w.code})") for w in queries.wards(conn)]
        targets.append((None, Message(INSTALLATION)))
    lines, intact = [], True
    for ward_id, label in targets:
        reports = ledger_verify.check_ward(conn, ward_id)
        ok = all(report.intact for report in reports)
        intact &= ok
        # A pattern of values, no msgid: the same in every language, its label translated.
        lines.append(Message("%(mark)s %(label)s: %(reports)s.", mark="✔" if ok else "✘",
                             label=label,
                             reports=Joined([report.describe() for report in reports], "; ")))
    leftover = ledger.leftover_permits(conn)
    if leftover:
        intact = False
        lines.append(Message(N_("✘ Còn giấy phép xóa lịch sử của phường (id %(ids)s) ngoài "
                                "lúc xóa phường: có thao tác xóa trực tiếp trong cơ sở dữ "
                                "liệu."), ids=", ".join(map(str, leftover))))
    lines.append(Message(N_("Kết quả: mọi chuỗi nguyên vẹn.")) if intact
                 else Message(N_("Kết quả: CÓ CHUỖI BỊ PHÁ VỠ — xem các dòng ✘ ở trên.")))
    return lines, intact
