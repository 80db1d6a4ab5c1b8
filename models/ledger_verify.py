"""Checking the ledger's chains (``models.ledger``): for ``urbanorder verify`` and for the
ranking page, which checks the one snapshot it shows.

A snapshot is trusted when its rows give its content hash, its fields and link give its row
hash, it links to the row before it and the row after it links to it, and the audit log
recorded its publication with the same content hash — so a forged snapshot must also forge
the audit chain from that point on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from geo import formatting as fmt
from geo.i18n import N_, Figure, Message, Msgid
from geo.ranking import content_hash
from models import ledger
from models.tables import AuditLog, RankingSnapshot, TargetSnapshot

# The reports are messages (geo.i18n): ``urbanorder verify`` says them in the command-line
# user's language, the ranking page in its reader's.
TABLE_LABELS = {"audit_log": N_("nhật ký thao tác"),
                "ranking_snapshot": N_("xếp hạng đã công bố"),
                "target_snapshot": N_("tiến độ chỉ tiêu đã công bố")}
TABLES = {"audit_log": AuditLog, "ranking_snapshot": RankingSnapshot,
          "target_snapshot": TargetSnapshot}
PUBLISH_ACTIONS = ("publish_ranking", "supersede_ranking")
FIELDS = {"audit_log": ledger.AUDIT_FIELDS, "ranking_snapshot": ledger.SNAPSHOT_FIELDS,
          "target_snapshot": ledger.TARGET_FIELDS}

UNLINKED = Message(N_("không nối với dòng trước trong chuỗi (có dòng bị xóa, chèn hoặc đổi "
                      "thứ tự)"))
ALTERED = Message(N_("nội dung khác với mã kiểm tra của dòng (đã bị sửa sau khi ghi)"))
ROWS_ALTERED = Message(N_("bảng xếp hạng khác với mã kiểm tra nội dung (đã bị sửa sau khi "
                          "công bố)"))
TARGETS_ALTERED = Message(N_("số liệu chỉ tiêu khác với mã kiểm tra nội dung (đã bị sửa sau "
                             "khi công bố)"))
NOT_AUDITED = Message(N_("nhật ký không ghi việc công bố bản này với cùng mã kiểm tra"))
REPLACED = Message(N_("dòng sau nó trong chuỗi không nối vào nó (bản này đã bị thay)"))
MISSING = N_("nhật ký ghi việc công bố bản #%(id)s nhưng bản này không còn trong cơ sở dữ "
             "liệu")


@dataclass(frozen=True)
class ChainReport:
    table: str
    ward_id: int | None
    rows: int
    broken_id: int | None = None
    problem: Message | None = None
    head: str | None = None  # the last row's hash: kept outside, it shows a rebuilt chain

    @property
    def intact(self) -> bool:
        return self.problem is None

    def describe(self) -> Message:
        label = Msgid(TABLE_LABELS[self.table])
        if self.intact:
            return Message(N_("%(table)s: %(rows)s dòng, nguyên vẹn, đầu chuỗi %(head)s"),
                           table=label, rows=Figure(fmt.integer, self.rows),
                           head=(self.head or "")[:16])
        if self.broken_id is None:
            return Message(N_("%(table)s: BỊ PHÁ VỠ tại chuỗi — %(problem)s"), table=label,
                           problem=self.problem)
        return Message(N_("%(table)s: BỊ PHÁ VỠ tại dòng #%(id)s — %(problem)s"), table=label,
                       id=self.broken_id, problem=self.problem)


def _own_problem(table: str, row, expected_prev: str | None) -> Message | None:
    """What is wrong with ``row`` itself (``expected_prev``: None when not known)."""
    if expected_prev is not None and row.prev_hash != expected_prev:
        return UNLINKED
    if ledger.row_hash(FIELDS[table], row, row.prev_hash) != row.row_hash:
        return ALTERED
    if table == "ranking_snapshot" and \
            content_hash(row.month, row.rubric_version, row.rows) != row.content_hash:
        return ROWS_ALTERED
    if table == "target_snapshot" and \
            content_hash(row.month, row.plan_version, row.rows) != row.content_hash:
        return TARGETS_ALTERED
    return None


def _publications(conn: Connection, ward_id: int) -> dict[int, set[str]]:
    """Snapshot id → the content hashes the ward's audit log recorded publishing it with."""
    stmt = select(AuditLog.entity_id, AuditLog.detail).where(
        AuditLog.ward_id == ward_id, AuditLog.action.in_(PUBLISH_ACTIONS),
        AuditLog.entity == "ranking_snapshot")
    found: dict[int, set[str]] = {}
    for entity_id, detail in conn.execute(stmt):
        found.setdefault(entity_id, set()).add((detail or {}).get("content_hash"))
    return found


def check_chain(conn: Connection, table_name: str, ward_id: int | None) -> ChainReport:
    """The first broken row of one chain (in id order), if any."""
    table = TABLES[table_name]
    published = _publications(conn, ward_id) if table_name == "ranking_snapshot" else {}
    stmt = select(table.__table__).where(ledger.same_chain(table.__table__, ward_id))
    prev, count, seen = ledger.GENESIS, 0, set()
    for row in conn.execute(stmt.order_by(table.id)):
        count += 1
        problem = _own_problem(table_name, row, prev)
        if problem is None and table_name == "ranking_snapshot" and \
                row.content_hash not in published.get(row.id, ()):
            problem = NOT_AUDITED
        if problem:
            return ChainReport(table_name, ward_id, count, row.id, problem)
        prev = row.row_hash
        seen.add(row.id)
    missing = sorted(set(published) - seen)
    if missing:
        return ChainReport(table_name, ward_id, count, None,
                           Message(MISSING, id=missing[0]))
    return ChainReport(table_name, ward_id, count, head=prev)


def check_ward(conn: Connection, ward_id: int | None) -> list[ChainReport]:
    tables = ("audit_log",) if ward_id is None else tuple(TABLES)
    return [check_chain(conn, table, ward_id) for table in tables]


def check_snapshot(conn: Connection, snap) -> Message | None:
    """Why the snapshot ``snap`` (a row of ``ledger.snapshot``) cannot be trusted (a
    ``geo.i18n.Message``), or None."""
    problem = _own_problem("ranking_snapshot", snap, None)
    if problem:
        return problem
    table = RankingSnapshot
    neighbours = select(table.id, table.row_hash, table.prev_hash).where(
        table.ward_id == snap.ward_id)
    before = conn.execute(neighbours.where(table.id < snap.id).order_by(
        table.id.desc()).limit(1)).first()
    if snap.prev_hash != (before.row_hash if before else ledger.GENESIS):
        return UNLINKED
    after = conn.execute(neighbours.where(table.id > snap.id).order_by(table.id).limit(1)).first()
    if after is not None and after.prev_hash != snap.row_hash:
        return REPLACED
    record = conn.execute(select(AuditLog.__table__).where(
        AuditLog.ward_id == snap.ward_id, AuditLog.action.in_(PUBLISH_ACTIONS),
        AuditLog.entity == "ranking_snapshot", AuditLog.entity_id == snap.id)).first()
    if record is None or (record.detail or {}).get("content_hash") != snap.content_hash or \
            _own_problem("audit_log", record, None):
        return NOT_AUDITED
    return None
