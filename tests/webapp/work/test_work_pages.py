"""The plan as work, on both backends: units and their people, the khu phố head's view,
the appendix-style task table imported all-or-nothing, progress with evidence (EXIF gone,
types by content), a late task flagged, a unit's Bảng 3 submitted and the ward's
consolidated, and the audit of each write."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image
from sqlalchemy import func, select

from models import queries
from models import work_queries as store
from models.tables import AuditLog
from models.work import WorkEvidence, WorkProgress, WorkTask, WorkUnitReport
from tests.conftest import signed_in_as, writable_demo_app
from tests.helpers import csrf_token, sign_in
from tests.webapp.field.conftest import jpeg_with_gps
from webapp.clock import local_now
from webapp.extensions import db
from webapp.users import create_user

HEAD_PASSWORD = "khu-pho-head-pass-2026"


@pytest.fixture
def app(_writable_copy):
    # This test's own copy of the writable demo (tests/conftest.py, both backends).
    for app in writable_demo_app(_writable_copy):
        tag = uuid.uuid4().hex[:6]
        with app.app_context(), db.transaction() as tx:
            kp = queries.neighbourhood_names(tx, app.ward.id)[0]
            app.kp = kp
            app.tag = tag
            app.units = {}
            for key, name, kind, kp_id in (("ubnd", f"UBND phường {tag}", "ubnd", None),
                                           ("police", f"Công an phường {tag}", "police", None),
                                           ("kp", f"Khu phố {tag}", "neighbourhood", kp.id)):
                app.units[key] = store.save_unit(tx, app.ward.id, {
                    "name": name, "kind": kind, "aliases": [f"{key.upper()}-{tag}"],
                    "neighbourhood_id": kp_id})
            app.head = f"truongkp{tag}"
            head_id, _ = create_user(tx, app.ward.id, app.head, "khu_pho_head", HEAD_PASSWORD)
            store.add_member(tx, app.ward.id, app.units["kp"], head_id, "Trưởng khu phố")
        yield app


@pytest.fixture
def as_role(app):
    return lambda role: signed_in_as(app, role)


@pytest.fixture
def head(app):
    if "head" not in app.signed_in:
        client = app.test_client()
        sign_in(client, app.head, HEAD_PASSWORD)
        client.csrf = csrf_token(client, "/tasks")
        app.signed_in["head"] = client
    return app.signed_in["head"]


def _count(app, table, **where) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(table).where(table.ward_id == app.ward.id,
                                                             *(getattr(table, k) == v
                                                               for k, v in where.items()))
        return db.conn.execute(stmt).scalar_one()


def _task(app, code: str, lead: str = "kp", days: int = 30, co=()) -> int:
    with app.app_context(), db.transaction() as tx:
        return store.save_task(tx, app.ward.id, {
            "code": code, "title": f"Nhiệm vụ {code}", "product": "Sản phẩm đo được",
            "lead_unit_id": app.units[lead], "co_unit_ids": [app.units[c] for c in co],
            "deadline": local_now().date() + timedelta(days=days), "milestones": []}, None)


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _appendix(app, extra_co: str = "") -> list[tuple]:
    t = app.tag
    return [("PHỤ LỤC PHÂN CÔNG NHIỆM VỤ",),
            ("STT", "Nội dung/cơ quan", "Nhiệm vụ trọng tâm", "Chỉ tiêu/sản phẩm",
             "Đến 31/5/2026", "Đến 31/12/2026", "Chủ trì/phối hợp"),
            (f"A{t}.1", "UBND", "Chuẩn hóa TTHC", "100% TTHC trên môi trường số",
             "Ban hành kế hoạch", "Triển khai", f"Chủ trì: UBND phường {t}. Phối hợp: "
             f"Công an phường {t}, KP-{t}" + extra_co),
            (f"A{t}.2", "Công an", "Rà soát nhà trọ", "100% cơ sở được phân loại",
             "Lập danh sách", None, f"Chủ trì: POLICE-{t}")]


# --- units and people -----------------------------------------------------------------------

def test_admin_creates_units_and_assigns_people(app, as_role):
    admin = as_role("admin")
    name = f"Hội Phụ nữ {app.tag}"
    refused = admin.post("/tasks/units/new", data={"csrf_token": admin.csrf, "name": name,
                                                  "kind": "neighbourhood"})
    assert refused.status_code == 400
    assert "Đơn vị khu phố phải gắn với một khu phố" in refused.get_data(as_text=True)
    made = admin.post("/tasks/units/new", data={"csrf_token": admin.csrf, "name": name,
                                               "kind": "front", "aliases": "HPN, Hội PN"})
    assert made.status_code == 302
    unit_id = int(made.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert store.unit(db.conn, app.ward.id, unit_id).aliases == ["HPN", "Hội PN"]
    again = admin.post("/tasks/units/new", data={"csrf_token": admin.csrf, "name": name,
                                                "kind": "front"})
    assert again.status_code == 400 and "Phường đã có đơn vị" in again.get_data(as_text=True)
    added = admin.post(f"/tasks/units/{unit_id}/members", data={
        "csrf_token": admin.csrf, "username": "dothi", "position": "Cán bộ"})
    assert added.status_code == 303
    page = admin.get(f"/tasks/units/{unit_id}").get_data(as_text=True)
    assert "dothi" in page and "Cán bộ" in page
    assert _count(app, AuditLog, action="work_member_added", entity_id=unit_id) == 1
    # Staff may not manage units.
    assert as_role("urban_staff").get("/tasks/units").status_code == 403


def test_refusals_are_said_in_the_readers_language(app, as_role):
    # The service's refusals carry their msgid and values (geo.i18n.Message): an English
    # reader gets them in English, on the form page and in a flash after a redirect.
    admin = as_role("admin")
    admin.set_cookie("lang", "en")
    try:
        name = f"Đoàn Thanh niên {app.tag}"
        form = {"csrf_token": admin.csrf, "name": name, "kind": "front"}
        made = admin.post("/tasks/units/new", data=form)
        assert made.status_code == 302
        again = admin.post("/tasks/units/new", data=form).get_data(as_text=True)
        assert "The ward already has a unit" in again and name in again
        assert "Phường đã có đơn vị" not in again
        unit_id = int(made.headers["Location"].rsplit("/", 1)[1])
        page = admin.post(f"/tasks/units/{unit_id}/members", data={
            "csrf_token": admin.csrf, "username": f"nobody-{app.tag}"}, follow_redirects=True)
        text = page.get_data(as_text=True)
        assert "The ward has no account" in text and f"nobody-{app.tag}" in text
    finally:
        admin.delete_cookie("lang")
    # The same refusal, in Vietnamese again without the cookie.
    form = {"csrf_token": admin.csrf, "name": name, "kind": "front"}
    assert "Phường đã có đơn vị" in admin.post("/tasks/units/new", data=form).get_data(
        as_text=True)


def test_the_khu_pho_head_sees_and_reports_only_for_their_unit(app, head, as_role):
    own = _task(app, f"H{app.tag}.1", "kp")
    other = _task(app, f"H{app.tag}.2", "police")
    board = head.get("/tasks").get_data(as_text=True)
    assert f"H{app.tag}.1" in board and f"H{app.tag}.2" not in board
    assert head.get(f"/tasks/{own}").status_code == 200
    assert head.get(f"/tasks/{other}").status_code == 404
    assert head.get("/tasks/overview").status_code == 403
    assert head.get("/targets").status_code == 403
    # The ward's map, records and API are not a khu phố head's: they land on their tasks.
    assert head.get("/").headers["Location"].endswith("/tasks")
    assert head.get("/incidents/").status_code == 403
    assert head.get("/api/v1/incidents").status_code == 403
    refused = head.post(f"/tasks/{other}/progress", data={
        "csrf_token": head.csrf, "percent": "10"})
    assert refused.status_code == 404
    # Staff see every unit's tasks.
    assert f"H{app.tag}.2" in as_role("urban_staff").get("/tasks").get_data(as_text=True)


# --- the task table -----------------------------------------------------------------------------

def test_import_the_appendix_task_table_all_or_nothing(app, as_role):
    staff = as_role("urban_staff")
    before = _count(app, WorkTask)
    dry = staff.post("/tasks/import", data={"csrf_token": staff.csrf,
                                           "file": (_xlsx(_appendix(app, ", doanh nghiệp")),
                                                    "phu-luc.xlsx")},
                     content_type="multipart/form-data")
    page = dry.get_data(as_text=True)
    assert dry.status_code == 200 and "Không có đơn vị: “doanh nghiệp”" in page
    assert 'id="commit-import"' not in page
    token = page.split('name="token" value="')[1].split('"')[0]
    forced = staff.post("/tasks/import", data={"csrf_token": staff.csrf, "token": token,
                                              "action": "commit"})
    assert forced.status_code == 422 and _count(app, WorkTask) == before
    dry = staff.post("/tasks/import", data={"csrf_token": staff.csrf,
                                           "file": (_xlsx(_appendix(app)), "phu-luc.xlsx")},
                     content_type="multipart/form-data")
    page = dry.get_data(as_text=True)
    assert 'id="commit-import"' in page and _count(app, WorkTask) == before
    token = page.split('name="token" value="')[1].split('"')[0]
    done = staff.post("/tasks/import", data={"csrf_token": staff.csrf, "token": token,
                                            "action": "commit"})
    assert done.status_code == 302 and _count(app, WorkTask) == before + 2
    with app.app_context():
        tasks = {t.code: t for t in store.tasks(db.conn, app.ward.id)}
    first = tasks[f"A{app.tag}.1"]
    assert first.lead_unit_id == app.units["ubnd"]
    assert sorted(first.co_unit_ids) == sorted([app.units["police"], app.units["kp"]])
    assert [m["on"] for m in first.milestones] == ["2026-05-31", "2026-12-31"]
    assert tasks[f"A{app.tag}.2"].lead_unit_id == app.units["police"]
    assert _count(app, AuditLog, action="work_tasks_imported") >= 1
    # The same table again: every code is taken, nothing is added.
    again = staff.post("/tasks/import", data={"csrf_token": staff.csrf,
                                             "file": (_xlsx(_appendix(app)), "lai.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert again.count("đã có trong phường") == 2


def test_a_unit_cannot_register_less_than_the_ward(app, as_role):
    staff = as_role("urban_staff")
    refused = staff.post("/tasks/new", data={
        "csrf_token": staff.csrf, "code": f"Q{app.tag}", "title": "Trồng cây",
        "product": "Cây xanh trên tuyến", "measure_unit": "cây", "ward_quantity": "50",
        "target_quantity": "40", "lead_unit_id": app.units["ubnd"], "deadline": "2027-03-31"})
    assert refused.status_code == 400
    assert "không được thấp hơn chỉ tiêu phường giao (50)" in refused.get_data(as_text=True)
    made = staff.post("/tasks/new", data={
        "csrf_token": staff.csrf, "code": f"Q{app.tag}", "title": "Trồng cây",
        "product": "Cây xanh trên tuyến", "measure_unit": "cây", "ward_quantity": "50",
        "target_quantity": "60", "lead_unit_id": app.units["ubnd"], "deadline": "2027-03-31",
        "co_unit_ids": [app.units["kp"]], "milestones": "31/12/2026: Trồng 30 cây",
        "neighbourhood_id": app.kp.id})
    assert made.status_code == 302
    page = staff.get(made.headers["Location"]).get_data(as_text=True)
    for text in ("Rõ người", "Rõ thẩm quyền", "60", "Trồng 30 cây", app.kp.name):
        assert text in page


# --- progress and evidence ----------------------------------------------------------------------

def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_progress_with_evidence_as_a_unit_member(app, head, as_role):
    task_id = _task(app, f"P{app.tag}", "kp")
    bad = head.post(f"/tasks/{task_id}/progress", data={
        "csrf_token": head.csrf, "percent": "40",
        "files": [(io.BytesIO(b"MZ not a pdf"), "bien-ban.pdf")]},
        content_type="multipart/form-data")
    assert bad.status_code == 303
    assert _count(app, WorkProgress, task_id=task_id) == 0
    assert "không được nhận" in head.get(f"/tasks/{task_id}").get_data(as_text=True)
    good = head.post(f"/tasks/{task_id}/progress", data={
        "csrf_token": head.csrf, "percent": "40", "value": "4", "note": "Đã lắp 4 camera",
        "files": [(io.BytesIO(jpeg_with_gps()), "anh.jpg"), (io.BytesIO(_pdf()), "bb.pdf"),
                  (_xlsx([("Họ tên",), ("Nguyễn Văn A",)]), "danh-sach.xlsx")]},
        content_type="multipart/form-data")
    assert good.status_code == 303
    with app.app_context():
        files = {e.kind: e for e in db.conn.execute(select(WorkEvidence).where(
            WorkEvidence.task_id == task_id))}
        row = store.task(db.conn, app.ward.id, task_id)
    assert set(files) == {"photo", "pdf", "xlsx"}
    photo = Image.open(io.BytesIO(files["photo"].data))
    assert photo.format == "JPEG" and not photo.getexif() and max(photo.size) <= 1600
    assert files["pdf"].data == _pdf()
    assert load_workbook(io.BytesIO(files["xlsx"].data)).active["A2"].value == "Nguyễn Văn A"
    assert (row.percent, row.result_value, row.done_on) == (40.0, 4.0, None)
    shown = head.get(f"/tasks/evidence/{files['photo'].id}")
    assert shown.status_code == 200 and shown.headers["Content-Type"] == "image/jpeg"
    listing = head.get(f"/tasks/evidence/{files['xlsx'].id}")
    assert listing.status_code == 200 and "attachment" in listing.headers["Content-Disposition"]
    assert _count(app, AuditLog, action="work_evidence_viewed", entity_id=files["xlsx"].id) == 1
    assert as_role("leader").get(f"/tasks/evidence/{files['pdf'].id}").status_code == 200
    assert _count(app, AuditLog, action="work_progress", entity_id=task_id) == 1
    # Police is no member of the khu phố unit: refused, nothing stored.
    police = as_role("police")
    police.post(f"/tasks/{task_id}/progress", data={"csrf_token": police.csrf,
                                                         "percent": "90"})
    assert _count(app, WorkProgress, task_id=task_id) == 1
    finished = head.post(f"/tasks/{task_id}/progress", data={
        "csrf_token": head.csrf, "percent": "100"})
    assert finished.status_code == 303
    with app.app_context():
        assert store.task(db.conn, app.ward.id, task_id).done_on == local_now().date()


def test_a_late_task_is_flagged(app, as_role, head):
    late = _task(app, f"L{app.tag}", "kp", days=-3)
    soon = _task(app, f"S{app.tag}", "kp", days=2)
    leader = as_role("leader")
    board = leader.get("/tasks").get_data(as_text=True)
    assert f'class="task-late" data-task="{late}"' in board
    assert f'class="task-due_soon" data-task="{soon}"' in board
    overview = leader.get("/tasks/overview").get_data(as_text=True)
    flagged = overview.split('id="flagged"')[1]
    assert f"/tasks/{late}" in flagged and f"/tasks/{soon}" in flagged
    assert "Quá hạn" in head.get("/tasks").get_data(as_text=True)
    targets = leader.get("/targets").get_data(as_text=True).split('id="flagged-tasks"')[1]
    assert f"/tasks/{late}" in targets and "Quá hạn" in targets


# --- unit reports -------------------------------------------------------------------------------

def test_a_unit_submits_its_report_and_the_office_consolidates(app, head, as_role):
    task_id = _task(app, f"R{app.tag}", "kp")
    head.post(f"/tasks/{task_id}/progress", data={
        "csrf_token": head.csrf, "percent": "30", "note": "Ra mắt tổ tự quản",
        "files": [(io.BytesIO(_pdf()), "quyet-dinh.pdf")]}, content_type="multipart/form-data")
    month = f"{local_now():%Y-%m}"
    url = f"/tasks/units/{app.units['kp']}/report?month={month}"
    page = head.get(url).get_data(as_text=True)
    assert "Ra mắt tổ tự quản" in page and "quyet-dinh.pdf" in page
    refused = head.post(url, data={"csrf_token": head.csrf, "month": month,
                                   f"result_text:{task_id}": "Đang thực hiện",
                                   f"percent:{task_id}": ""})
    assert refused.status_code == 400
    assert "không ghi “đang thực hiện”" in refused.get_data(as_text=True)
    assert _count(app, WorkUnitReport, unit_id=app.units["kp"]) == 0
    form = {"csrf_token": head.csrf, "month": month}
    submitted = head.post(url, data=form)  # the pre-filled rows as they are
    assert submitted.status_code == 303
    assert _count(app, WorkUnitReport, unit_id=app.units["kp"]) == 1
    # Another unit's report is not the head's to see or submit.
    assert head.get(f"/tasks/units/{app.units['police']}/report").status_code == 404
    office = as_role("urban_staff")
    listing = office.get(f"/tasks/reports?month={month}").get_data(as_text=True)
    assert f"Khu phố {app.tag}" in listing
    xlsx = office.get(f"/tasks/reports.xlsx?month={month}")
    assert xlsx.status_code == 200
    cells = [c.value for r in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows()
             for c in r if isinstance(c.value, str)]
    assert any("Ra mắt tổ tự quản" in c and "Minh chứng: quyet-dinh.pdf" in c for c in cells)
    # The other units have not reported: the report names them.
    notice = next(c for c in cells if c.startswith("Còn "))
    assert f"Công an phường {app.tag}" in notice and f"UBND phường {app.tag}" in notice
    assert f"Khu phố {app.tag}" not in notice
    pdf = office.get(f"/tasks/reports.pdf?month={month}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert head.get(f"/tasks/reports.xlsx?month={month}").status_code == 403
    summary = office.get("/tasks/summary?period=quarter").get_data(as_text=True)
    assert "Quý" in summary and f"Khu phố {app.tag}" in summary


def _pdf_text(data: bytes) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_a_consolidated_report_nobody_submitted_says_so(app, as_role):
    office = as_role("urban_staff")
    month = "2025-01"  # no unit has reported
    xlsx = office.get(f"/tasks/reports.xlsx?month={month}")
    assert xlsx.status_code == 200
    cells = [c.value for r in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows()
             for c in r if isinstance(c.value, str)]
    notice = next(c for c in cells if c.startswith("Chưa đơn vị nào nộp báo cáo tháng 01/2025"))
    assert all(f"{name} {app.tag}" in notice
               for name in ("UBND phường", "Công an phường", "Khu phố"))
    pdf = office.get(f"/tasks/reports.pdf?month={month}")
    assert pdf.status_code == 200
    text = " ".join(_pdf_text(pdf.data).split())
    assert "Chưa đơn vị nào nộp báo cáo tháng 01/2025" in text and f"Khu phố {app.tag}" in text
    # For an English reader: the frame and the sentence in English, the units as named.
    office.set_cookie("lang", "en")
    english = " ".join(_pdf_text(office.get(f"/tasks/reports.pdf?month={month}").data).split())
    assert "No unit has submitted its report for January 2025" in english, english[:400]
    assert f"Khu phố {app.tag}" in english and "Chưa đơn vị nào" not in english
    office.set_cookie("lang", "vi")


# --- the notification hook ----------------------------------------------------------------------

def test_tasks_warn_hands_the_flagged_tasks_to_the_ward_command(app, tmp_path):
    import json
    import shlex
    import sys

    from webapp.cli import cli

    late = _task(app, f"W{app.tag}", "police", days=-1)
    out = tmp_path / "canh-bao.json"
    script = f"import sys, pathlib; pathlib.Path({str(out)!r}).write_bytes(sys.stdin.buffer.read())"
    app.config["NOTIFY_COMMAND"] = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"
    try:
        result = app.test_cli_runner().invoke(cli, ["tasks", "warn", "--ward", app.ward.code])
    finally:
        app.config["NOTIFY_COMMAND"] = ""
    assert result.exit_code == 0, result.output
    assert "nhiệm vụ cần chú ý" in result.output and "Đã gửi thông báo" in result.output
    sent = json.loads(out.read_text(encoding="utf-8"))
    assert sent["ward"] == app.ward.code
    mine = [t for t in sent["tasks"] if t["id"] == late]
    assert mine and mine[0]["warning"] == "late" and mine[0]["warning_label"] == "Quá hạn"
    app.config["NOTIFY_COMMAND"] = f"{shlex.quote(sys.executable)} -c 'raise SystemExit(3)'"
    try:
        failed = app.test_cli_runner().invoke(cli, ["tasks", "warn", "--ward", app.ward.code])
    finally:
        app.config["NOTIFY_COMMAND"] = ""
    assert failed.exit_code != 0 and "kết thúc với mã 3" in failed.output
    app.config["NOTIFY_COMMAND"] = f"{shlex.quote(sys.executable)} -c 'raise SystemExit(3)'"
    try:
        english = app.test_cli_runner().invoke(
            cli, ["--lang", "en", "tasks", "warn", "--ward", app.ward.code])
    finally:
        app.config["NOTIFY_COMMAND"] = ""
    assert "tasks need attention on" in english.output and "[Overdue]" in english.output
    assert "The notification command ended with code 3" in english.output


def test_a_khu_pho_head_sees_the_map_of_their_own_khu_pho(app, head, as_role):
    import json
    import re

    from models.tables import ModelStreet

    assert 'id="own-map-link"' in head.get("/tasks").get_data(as_text=True)
    page = head.get("/tasks/map")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    config = json.loads(re.search(r'id="public-config">(.*?)</script>', html, re.S).group(1))
    areas = config["neighbourhoods"]["features"]
    assert [a["id"] for a in areas] == [app.kp.id] and app.kp.name in html
    assert "head_name" not in json.dumps(areas[0]["properties"])
    with app.app_context():
        theirs = set(db.conn.execute(select(ModelStreet.id).where(
            ModelStreet.ward_id == app.ward.id,
            ModelStreet.neighbourhood_id == app.kp.id)).scalars())
    assert {f["id"] for f in config["modelStreets"]["features"]} == theirs
    ward_map = head.get("/")  # the ward's map stays closed to them: back to the tasks
    assert ward_map.status_code == 302 and ward_map.headers["Location"].endswith("/tasks")
    # Someone in no khu phố unit gets a sentence, not an empty map.
    leader = as_role("leader").get("/tasks/map").get_data(as_text=True)
    assert 'id="no-khu-pho"' in leader and 'id="public-map"' not in leader


def test_tasks_import_from_the_command_line_is_all_or_nothing(app, tmp_path):
    from webapp.cli import cli

    runner = app.test_cli_runner()
    before = _count(app, WorkTask)
    wrong = tmp_path / "phu-luc-loi.xlsx"
    wrong.write_bytes(_xlsx(_appendix(app, ", doanh nghiệp")).getvalue())
    for extra in ([], ["--dry-run"]):
        refused = runner.invoke(cli, ["tasks", "import", str(wrong), "--ward", app.ward.code,
                                      *extra])
        assert refused.exit_code == 1, refused.output
        assert "Không có đơn vị: “doanh nghiệp”" in refused.output
        assert "2 dòng, 1 dòng có lỗi." in refused.output
        assert _count(app, WorkTask) == before
    good = tmp_path / "phu-luc.xlsx"
    good.write_bytes(_xlsx(_appendix(app)).getvalue())
    dry = runner.invoke(cli, ["tasks", "import", str(good), "--ward", app.ward.code,
                              "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"[A{app.tag}.1]" in dry.output and "chưa lưu gì" in dry.output
    assert _count(app, WorkTask) == before
    done = runner.invoke(cli, ["tasks", "import", str(good), "--ward", app.ward.code])
    assert done.exit_code == 0 and "Đã nhập 2 nhiệm vụ" in done.output
    assert _count(app, WorkTask) == before + 2
    # The same codes again: refused as a whole, nothing stored twice.
    again = runner.invoke(cli, ["tasks", "import", str(good), "--ward", app.ward.code])
    assert again.exit_code == 1 and _count(app, WorkTask) == before + 2
    with app.app_context():
        audit = db.conn.execute(select(AuditLog.detail).where(
            AuditLog.ward_id == app.ward.id, AuditLog.action == "work_tasks_imported")
        ).scalars().all()
    assert {"rows": 2, "file": "phu-luc.xlsx"} in audit
    missing = runner.invoke(cli, ["tasks", "import", str(tmp_path / "khong-co.xlsx")])
    assert missing.exit_code == 2


def test_editing_a_task_and_a_unit_shows_what_is_stored(app, as_role):
    from tests.helpers import scrape_form

    task_id = _task(app, f"E{app.tag}", "ubnd", co=("kp",))
    staff = as_role("urban_staff")
    form = scrape_form(staff, f"/tasks/{task_id}/edit", "task-form", lists=True)
    assert form["code"] == [f"E{app.tag}"] and form["lead_unit_id"] == [str(app.units["ubnd"])]
    assert form["co_unit_ids"] == [str(app.units["kp"])]
    form["title"] = ["Nội dung đã sửa"]
    form["milestones"] = ["15/01/2027: Mốc một\n31/03/2027: Mốc hai"]
    saved = staff.post(f"/tasks/{task_id}/edit", data=form)
    assert saved.status_code == 302
    with app.app_context():
        row = store.task(db.conn, app.ward.id, task_id)
    assert row.title == "Nội dung đã sửa"
    assert [m["text"] for m in row.milestones] == ["Mốc một", "Mốc hai"]
    admin = as_role("admin")
    unit = scrape_form(admin, f"/tasks/units/{app.units['kp']}", "unit-form")
    assert unit["neighbourhood_id"] == str(app.kp.id) and unit["kind"] == "neighbourhood"
    assert admin.post(f"/tasks/units/{app.units['kp']}", data=unit).status_code == 302
