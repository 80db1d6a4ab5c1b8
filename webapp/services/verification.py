"""``urbanorder verify``: every ward's audit and ranking chains, in Vietnamese."""

from __future__ import annotations

from models import ledger, ledger_verify, queries
from webapp.services.wards import ward_named

INSTALLATION = "Toàn hệ thống (tạo, xóa phường)"


def verify(conn, ward_code: str | None = None) -> tuple[list[str], bool]:
    """One line per ward (and for the installation's own chain when no ward is named), and
    whether every chain is intact. ``WardError`` for an unknown ward code."""
    if ward_code:
        ward = ward_named(conn, ward_code)
        targets = [(ward.id, f"{ward.name} ({ward.code})")]
    else:
        targets = [(w.id, f"{w.name} ({w.code})") for w in queries.wards(conn)]
        targets.append((None, INSTALLATION))
    lines, intact = [], True
    for ward_id, label in targets:
        reports = ledger_verify.check_ward(conn, ward_id)
        ok = all(report.intact for report in reports)
        intact &= ok
        lines.append(f"{'✔' if ok else '✘'} {label}: "
                     + "; ".join(report.describe() for report in reports) + ".")
    leftover = ledger.leftover_permits(conn)
    if leftover:
        intact = False
        lines.append("✘ Còn giấy phép xóa lịch sử của phường (id "
                     f"{', '.join(map(str, leftover))}) ngoài lúc xóa phường: có thao tác xóa "
                     "trực tiếp trong cơ sở dữ liệu.")
    lines.append("Kết quả: mọi chuỗi nguyên vẹn." if intact
                 else "Kết quả: CÓ CHUỖI BỊ PHÁ VỠ — xem các dòng ✘ ở trên.")
    return lines, intact
