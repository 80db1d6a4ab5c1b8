"""The ward's plan as data, on both backends: the admin's editor (versions, validation, stale
saves, YAML export / import, presets) and what follows the plan (map legend, targets page,
monthly report letterhead, model-street criteria); the manual targets' monthly values.

Every test restores the shared writable demo's plan afterwards (the plan versions and target
values it stored are removed), so other modules keep seeing Tam Phước's plan.
"""

from __future__ import annotations

import io
import re

import pytest
import yaml
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from models import records
from models.tables import AuditLog, ModelStreet, PlanVersion, TargetValue
from tests.conftest import signed_in_as, writable_demo_app
from tests.helpers import scrape_form
from webapp.clock import local_now
from webapp.extensions import db
from webapp.services import plans as plans_service
from webapp.services.plans import plan_for

ROUTE = "Trục điểm kiểu mẫu đường Nguyễn Ái Quốc (thử nghiệm)"
PLAN_NAME = "Kế hoạch thử nghiệm lập lại trật tự đô thị 2027"


# --- helpers ----------------------------------------------------------------------------------

def _form(client, path: str = "/admin/plan", form_id: str = "plan-form") -> dict:
    return scrape_form(client, path, form_id)

def _blank_row(form: dict, prefix: str) -> int:
    """The index of the first blank row of a table of the editor (``t``, ``c``, ``p``, ``s``)."""
    i = 0
    while f"{prefix}-{i}-code" in form or f"{prefix}-{i}-title" in form:
        first = form.get(f"{prefix}-{i}-code", form.get(f"{prefix}-{i}-title"))
        if not first and not form.get(f"{prefix}-{i}-label"):
            return i
        i += 1
    raise AssertionError(f"no blank {prefix} row")


def _ward(app):
    with app.app_context():
        return records.user_by_username(db.conn, "admin").ward_id


def _versions(app) -> list[str]:
    with app.app_context():
        return list(db.conn.execute(select(PlanVersion.version).where(
            PlanVersion.ward_id == _ward(app)).order_by(PlanVersion.id)).scalars())


def _plan(app, username: str = "admin"):
    """The plan in force in the ward ``username`` works in (the demo ward for ``admin``; a
    super-admin who chose none works in the first real ward, else the demo)."""
    from models import queries
    from webapp.auth import working_ward

    with app.app_context():
        ward_id = records.user_by_username(db.conn, username).ward_id
        ward = working_ward(db.conn, None) if ward_id is None else \
            next(w for w in queries.wards(db.conn) if w.id == ward_id)
        return plan_for(db.conn, ward)


def _audits(app, action: str) -> list[dict]:
    with app.app_context():
        return list(db.conn.execute(select(AuditLog.detail).where(
            AuditLog.action == action, AuditLog.ward_id == _ward(app))).scalars())


def _values(app) -> dict:
    with app.app_context():
        rows = db.conn.execute(select(TargetValue.month, TargetValue.target_code,
                                      TargetValue.value).where(
            TargetValue.ward_id == _ward(app))).all()
    return {(m, c): v for m, c, v in rows}


def _this_month(app) -> str:
    with app.app_context():
        return f"{local_now():%Y-%m}"


def _xlsx_cells(client, month: str) -> list[str]:
    response = client.get(f"/reports/monthly.xlsx?month={month}")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


@pytest.fixture
def writable_app(_writable_copy):
    """This test's own copy of the writable demo of one backend."""
    yield from writable_demo_app(_writable_copy)


@pytest.fixture
def as_role(writable_app):
    """``as_role("admin")``: a signed-in client on the shared writable demo (``.csrf``)."""
    return lambda role: signed_in_as(writable_app, role)


@pytest.fixture(autouse=True)
def _restore_plan(writable_app):
    """Remove the plan versions and target values a test stored (Tam Phước's plan again)."""
    with writable_app.app_context():
        last_version = db.conn.execute(select(func.max(PlanVersion.id))).scalar() or 0
        last_value = db.conn.execute(select(func.max(TargetValue.id))).scalar() or 0
    yield
    with writable_app.app_context(), db.engine.begin() as conn:
        conn.execute(delete(PlanVersion).where(PlanVersion.id > last_version))
        conn.execute(delete(TargetValue).where(TargetValue.id > last_value))
    # Plans are cached by version name, and a removed version's name comes back next minute.
    plans_service._CACHE.clear()


def _add_manual_targets(admin, app) -> tuple[str, str]:
    """Two manual targets (a count of households, a share in hectares) added by the admin."""
    form = _form(admin)
    i = _blank_row(form, "t")
    suffix = str(len(_versions(app)))
    codes = (f"ho_phan_loai_rac_{suffix}", f"dien_tich_xanh_{suffix}")
    form.update({
        f"t-{i}-code": codes[0], f"t-{i}-label": "Số hộ phân loại rác tại nguồn",
        f"t-{i}-lead": "Ban điều hành khu phố", f"t-{i}-metric": "manual",
        f"t-{i}-target": "2000", f"t-{i}-unit": "hộ", f"t-{i}-year_end": "1",
        f"t-{i + 1}-code": codes[1], f"t-{i + 1}-label": "Diện tích cây xanh được chăm sóc",
        f"t-{i + 1}-metric": "manual", f"t-{i + 1}-target": "20", f"t-{i + 1}-unit": "ha",
        f"t-{i + 1}-deadline": "2027-06-30",
    })
    response = admin.post("/admin/plan", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return codes


# --- editing -------------------------------------------------------------------------------------

def test_unchanged_form_saves_the_same_plan(as_role, writable_app):
    admin = as_role("admin")
    before = _plan(writable_app).as_mapping()
    response = admin.post("/admin/plan", data=_form(admin))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    after = _plan(writable_app).as_mapping()
    assert after["version"] != before["version"]
    assert {**after, "version": ""} == {**before, "version": ""}


def test_admin_edits_the_plan_and_everything_follows_it(as_role, writable_app):
    admin = as_role("admin")
    before = _versions(writable_app)
    form = _form(admin)
    t, s = _blank_row(form, "t"), _blank_row(form, "s")
    form.update({
        "name": PLAN_NAME, "route_name": ROUTE, "baseline_year": "2024",
        f"t-{t}-code": "cay_xanh_moi", f"t-{t}-label": "Trồng mới 300 cây xanh trên các tuyến",
        f"t-{t}-lead": "Phòng Kinh tế - Hạ tầng và Đô thị", f"t-{t}-metric": "manual",
        f"t-{t}-target": "300", f"t-{t}-unit": "cây", f"t-{t}-deadline": "2027-06-30",
        "r-header": "state", "r-parent": "", "r-issuer": "ỦY BAN NHÂN DÂN PHƯỜNG TAM PHƯỚC",
        "r-number": "Số:      /BC-UBND", "r-place": "Tam Phước",
        "s-0-title": "NGƯỜI LẬP BIỂU", "s-0-name": "Trần Văn Lập",
        "s-1-title": "KT. CHỦ TỊCH", "s-1-hint": "(Ký tên, đóng dấu)", "s-1-name": "Lê Thị Hoa",
        f"s-{s}-title": "CÁN BỘ TỔNG HỢP", f"s-{s}-hint": "(Ký, ghi rõ họ tên)",
    })
    response = admin.post("/admin/plan", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = admin.get(response.location).get_data(as_text=True)
    versions = _versions(writable_app)
    assert len(versions) == len(before) + 1
    assert f"thành phiên bản {versions[-1]}" in page
    listed = re.findall(r"<code>([^<]+)</code>", page.split('id="plan-versions"')[1])
    assert listed[0] == versions[-1] and set(before) <= set(listed)
    assert re.search(rf"<code>{re.escape(versions[-1])}</code> <span class=\"badge\">đang áp "
                     r"dụng</span>", page)

    plan = _plan(writable_app)
    assert (plan.name, plan.route_name, plan.baseline_year) == (PLAN_NAME, ROUTE, 2024)
    assert plan.target("cay_xanh_moi")["metric"] == "manual"
    assert plan.report["header"] == "state" and len(plan.report["signatures"]) == 3
    assert _audits(writable_app, "edit_plan")[-1]["version"] == versions[-1]

    legend = admin.get("/").get_data(as_text=True)
    assert f'<span id="route-legend">{ROUTE}</span>' in legend

    targets = admin.get("/targets").get_data(as_text=True)
    assert re.search(rf'id="plan-name">{re.escape(PLAN_NAME)} ', targets)
    assert 'data-code="cay_xanh_moi"' in targets
    assert "Trồng mới 300 cây xanh trên các tuyến" in targets
    assert "chưa nhập số liệu" in targets
    row = targets.split('data-code="public_order_reduction"')[1].split("</tr>")[0]
    assert "2024" in row  # the base year the reduction is measured against

    cells = _xlsx_cells(admin, _this_month(writable_app))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in cells
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in cells
    assert "ỦY BAN NHÂN DÂN PHƯỜNG TAM PHƯỚC" in cells and "Số:      /BC-UBND" in cells
    for text in ("NGƯỜI LẬP BIỂU", "Trần Văn Lập", "KT. CHỦ TỊCH", "Lê Thị Hoa",
                 "CÁN BỘ TỔNG HỢP", "Trồng mới 300 cây xanh trên các tuyến"):
        assert text in cells, text
    assert "T/M BAN THƯỜNG VỤ" not in cells


def test_party_header_and_default_plan_in_the_report(as_role, writable_app):
    admin = as_role("admin")
    month = _this_month(writable_app)
    cells = _xlsx_cells(admin, month)  # Tam Phước's plan: a party report
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells and "T/M BAN THƯỜNG VỤ" in cells
    form = _form(admin)
    form.update({"r-header": "state", "s-1-delete": "1"})
    assert admin.post("/admin/plan", data=form).status_code == 302
    cells = _xlsx_cells(admin, month)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in cells and "T/M BAN THƯỜNG VỤ" not in cells
    assert "NGƯỜI LẬP BÁO CÁO" in cells
    form = _form(admin)
    assert form["r-header"] == "state"
    assert admin.post("/admin/plan", data={**form, "r-header": "party"}).status_code == 302
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in _xlsx_cells(admin, month)


@pytest.mark.parametrize("change, message", [
    ({"name": "   "}, "Tên kế hoạch: chưa nhập."),
    ({"baseline_year": "abc"}, "Năm gốc so sánh phải là một năm (ví dụ 2025)."),
    ({"p-0-start": "2026-05-25", "p-0-end": "2026-05-01"},
     "Giai đoạn 1: ngày kết thúc trước ngày bắt đầu."),
    ({"t-0-metric": "so_cay_xanh"}, "Chỉ tiêu 1: cách tính “so_cay_xanh” không có"),
    ({"route_name": ""}, "Tên trục điểm kiểu mẫu: chưa nhập."),
    ({"t-0-target": "nhiều"}, "Chỉ tiêu 1: mục tiêu phải là một số ≥ 0."),
])
def test_invalid_plan_saves_nothing(as_role, writable_app, change, message):
    admin = as_role("admin")
    before = _versions(writable_app)
    audits = len(_audits(writable_app, "edit_plan"))
    form = _form(admin)
    assert set(change) <= set(form)
    response = admin.post("/admin/plan", data={**form, **change})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="plan-errors"' in page and message in page
    # the admin's input is shown again for correcting
    field, value = next(iter(change.items()))
    if field in ("name", "baseline_year") and value.strip():
        assert f'value="{value}"' in page
    assert _versions(writable_app) == before
    assert len(_audits(writable_app, "edit_plan")) == audits


def test_a_control_character_is_refused_before_the_plan_is_read(as_role, writable_app):
    """The request guard (webapp/input_guard.py) refuses it for every form, this one too."""
    admin = as_role("admin")
    before = _versions(writable_app)
    response = admin.post("/admin/plan", data={**_form(admin), "c-0-label": "Sạch\x07 đẹp"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "c-0-label" in page and "ký tự điều khiển không in được (U+0007)" in page
    assert _versions(writable_app) == before


def test_a_stale_save_is_refused(as_role, writable_app):
    admin = as_role("admin")
    stale = _form(admin)
    assert admin.post("/admin/plan", data=_form(admin)).status_code == 302
    before = _versions(writable_app)
    response = admin.post("/admin/plan", data={**stale, "route_name": ROUTE})
    assert response.status_code == 409
    assert "trong lúc bạn sửa: tải lại trang và sửa lại" in response.get_data(as_text=True)
    assert _versions(writable_app) == before
    assert _plan(writable_app).route_name != ROUTE


@pytest.mark.parametrize("role", ["leader", "police", "urban_staff"])
def test_only_admins_change_the_plan(as_role, writable_app, role):
    admin_form = _form(as_role("admin"))
    client = as_role(role)
    before = _versions(writable_app)
    assert client.get("/admin/plan").status_code == 403
    assert client.post("/admin/plan", data={**admin_form, "csrf_token": client.csrf,
                                            "route_name": ROUTE}).status_code == 403
    assert client.post("/admin/plan/preset", data={"preset": "binh-phuoc",
                                                   "csrf_token": client.csrf}).status_code == 403
    upload = {"csrf_token": client.csrf, "file": (io.BytesIO(b"name: x"), "k.yaml")}
    assert client.post("/admin/plan/import", data=upload,
                       content_type="multipart/form-data").status_code == 403
    assert _versions(writable_app) == before
    # everyone who sees the analysis may download the plan
    assert client.get("/admin/plan.yaml").status_code == 200


def test_superadmin_acts_as_admin(as_role, writable_app):
    superadmin = as_role("superadmin")  # other tests may add real wards: it works in those
    form = _form(superadmin)
    assert superadmin.post("/admin/plan", data={**form, "route_name": ROUTE}).status_code == 302
    assert _plan(writable_app, "quantri").route_name == ROUTE


# --- YAML export / import, presets -----------------------------------------------------------

def _upload(client, body: bytes, name: str = "ke-hoach.yaml"):
    return client.post("/admin/plan/import", data={
        "csrf_token": client.csrf, "file": (io.BytesIO(body), name)},
        content_type="multipart/form-data")


def test_yaml_export_then_import_round_trips(as_role, writable_app):
    admin = as_role("admin")
    exported = admin.get("/admin/plan.yaml")
    assert exported.status_code == 200 and exported.mimetype == "application/yaml"
    assert "attachment" in exported.headers["Content-Disposition"]
    text = exported.get_data(as_text=True)
    assert text.startswith("# Kế hoạch của phường")
    before = yaml.safe_load(text)
    versions = _versions(writable_app)
    response = _upload(admin, exported.data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert "Đã nhập kế hoạch" in admin.get(response.location).get_data(as_text=True)
    assert len(_versions(writable_app)) == len(versions) + 1
    after = yaml.safe_load(admin.get("/admin/plan.yaml").get_data(as_text=True))
    assert after["version"] == _versions(writable_app)[-1] != before["version"]
    assert {**after, "version": None} == {**before, "version": None}
    assert _audits(writable_app, "import_plan")[-1]["version"] == after["version"]
    # an earlier version stays downloadable by its id
    with writable_app.app_context():
        first = db.conn.execute(select(func.min(PlanVersion.id)).where(
            PlanVersion.ward_id == _ward(writable_app))).scalar()
    old = admin.get(f"/admin/plan/{first}.yaml")
    assert old.status_code == 200 and yaml.safe_load(old.data)["name"]
    assert admin.get("/admin/plan/999999.yaml").status_code == 404


def test_broken_yaml_lists_its_problems(as_role, writable_app):
    admin = as_role("admin")
    before = _versions(writable_app)
    response = _upload(admin, "name: [chưa đóng ngoặc\n".encode())
    assert response.status_code == 400
    assert "Tệp YAML không đọc được" in response.get_data(as_text=True)
    body = yaml.safe_load(admin.get("/admin/plan.yaml").data)
    body.update(baseline_year="năm ngoái", report_due_day=31, name="")
    body["targets"][0]["metric"] = "khong_co_chi_so"
    body["model_street_criteria"] = []
    response = _upload(admin, yaml.safe_dump(body, allow_unicode=True).encode())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    problems = re.findall(r"<li>([^<]+)</li>", page.split('id="plan-errors"')[1].split("</ul>")[0])
    for message in ("Tên kế hoạch: chưa nhập.", "Năm gốc so sánh phải là một năm",
                    "Hạn báo cáo hằng tháng phải là một ngày từ 1 đến 28.",
                    "Chỉ tiêu 1: cách tính “khong_co_chi_so” không có",
                    "Cần ít nhất một tiêu chí tuyến/cụm kiểu mẫu."):
        assert any(message in p for p in problems), message
    assert _upload(admin, b"\xff\xfe\x00bad").status_code == 400  # not UTF-8
    assert _upload(admin, b"- just\n- a list\n").status_code == 400
    no_file = admin.post("/admin/plan/import", data={"csrf_token": admin.csrf},
                         content_type="multipart/form-data")
    assert no_file.status_code == 400
    assert "Chọn tệp kế hoạch (.yaml) để nhập." in no_file.get_data(as_text=True)
    assert _versions(writable_app) == before
    assert admin.post("/admin/plan/preset", data={"preset": "../tam-phuoc",
                                                  "csrf_token": admin.csrf}).status_code == 400


def test_binh_phuoc_preset_switches_the_model_street_criteria(as_role, writable_app):
    admin = as_role("admin")
    with writable_app.app_context():
        street_id = db.conn.execute(select(func.min(ModelStreet.id)).where(
            ModelStreet.ward_id == _ward(writable_app))).scalar()
    detail = admin.get(f"/model-streets/{street_id}").get_data(as_text=True)
    assert 'name="met-clean"' in detail and 'name="met-sach"' not in detail
    response = admin.post("/admin/plan/preset", data={"preset": "binh-phuoc",
                                                      "csrf_token": admin.csrf})
    assert response.status_code == 302
    plan = _plan(writable_app)
    assert [c["code"] for c in plan.criteria] == ["sach", "xanh", "sang", "dep", "an_toan"]
    assert plan.version == _versions(writable_app)[-1]
    assert _audits(writable_app, "adopt_plan_preset")[-1]["version"] == plan.version
    detail = admin.get(f"/model-streets/{street_id}").get_data(as_text=True)
    form = detail.split('id="check-form"')[1].split("</form>")[0]
    assert re.findall(r'name="met-(\w+)" value="1"', form) == ["sach", "xanh", "sang", "dep",
                                                                  "an_toan"]
    for label in ("Sạch", "Xanh", "Sáng", "Đẹp", "An toàn"):
        assert f"<legend>{label}</legend>" in form
    assert "met-clean" not in detail
    assert f"{plan.route_name}" in admin.get("/").get_data(as_text=True)


# --- manual target values ----------------------------------------------------------------------

def test_staff_enter_manual_target_values(as_role, writable_app):
    admin, staff = as_role("admin"), as_role("urban_staff")
    households, green = _add_manual_targets(admin, writable_app)
    month = _this_month(writable_app)
    page = staff.get(f"/targets/values?month={month}").get_data(as_text=True)
    assert f'name="value-{households}"' in page and f'name="value-{green}"' in page
    assert "Số hộ phân loại rác tại nguồn" in page
    response = staff.post("/targets/values", data={
        "csrf_token": staff.csrf, "month": month, f"value-{households}": "1.250",
        f"note-{households}": "Báo cáo của 26 khu phố", f"value-{green}": "12,5"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert "Đã lưu số liệu chỉ tiêu tháng" in staff.get(response.location).get_data(as_text=True)
    assert _values(writable_app).items() >= {(month, households): 1250.0,
                                             (month, green): 12.5}.items()
    audit = _audits(writable_app, "enter_target_values")[-1]
    assert audit["month"] == month and set(audit["targets"]) == {households, green}

    targets = staff.get("/targets").get_data(as_text=True)
    row = targets.split(f'data-code="{households}"')[1].split("</tr>")[0]
    assert "1.250 hộ (số liệu tháng" in row
    row = targets.split(f'data-code="{green}"')[1].split("</tr>")[0]
    assert "12,5 ha (số liệu tháng" in row
    # the values page shows what was entered; the leader reads it, with the inputs disabled
    leader = as_role("leader")
    shown = leader.get(f"/targets/values?month={month}")
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    assert "Báo cáo của 26 khu phố" in text and " disabled" in text
    assert re.search(rf'name="value-{households}"[^>]*value="1\.250"', text)
    assert re.search(rf'name="value-{green}"[^>]*value="12,5"', text)
    assert "Lưu số liệu tháng" not in text
    # emptying a value clears it
    response = staff.post("/targets/values", data={
        "csrf_token": staff.csrf, "month": month, f"value-{households}": "",
        f"value-{green}": "12,5"})
    assert response.status_code == 302
    assert (month, households) not in _values(writable_app)


def test_bad_target_values_store_nothing(as_role, writable_app):
    admin, staff = as_role("admin"), as_role("urban_staff")
    households, green = _add_manual_targets(admin, writable_app)
    month = _this_month(writable_app)
    before = _values(writable_app)
    audits = len(_audits(writable_app, "enter_target_values"))
    for bad, message in (("NaN", "phải là một số từ 0 đến"), ("inf", "phải là một số từ 0 đến"),
                         ("-5", "phải là một số từ 0 đến"), ("abc", "không phải là số")):
        response = staff.post("/targets/values", data={
            "csrf_token": staff.csrf, "month": month, f"value-{households}": "100",
            f"value-{green}": bad})
        assert response.status_code == 400, bad
        page = response.get_data(as_text=True)
        assert "Chưa lưu:" in page and message in page, bad
        assert f'value="{bad}"' in page  # kept for correcting
    assert _values(writable_app) == before
    assert len(_audits(writable_app, "enter_target_values")) == audits


@pytest.mark.parametrize("role", ["leader", "police"])
def test_readers_cannot_enter_target_values(as_role, writable_app, role):
    households, _ = _add_manual_targets(as_role("admin"), writable_app)
    month = _this_month(writable_app)
    client = as_role(role)
    assert client.get(f"/targets/values?month={month}").status_code == 200
    before = _values(writable_app)
    response = client.post("/targets/values", data={
        "csrf_token": client.csrf, "month": month, f"value-{households}": "7"})
    assert response.status_code == 403
    assert _values(writable_app) == before


def test_the_admin_turns_the_public_page_on_and_off(as_role, writable_app):
    admin = as_role("admin")
    code = writable_app.ward.code
    anonymous = writable_app.test_client()
    form = _form(admin)
    assert "public_page" not in form  # a ward is private until its admin says otherwise
    assert anonymous.get(f"/public/{code}").status_code == 404
    assert admin.post("/admin/plan", data={**form, "public_page": "on"}).status_code == 302
    assert _plan(writable_app).public_page is True
    assert anonymous.get(f"/public/{code}").status_code == 200
    assert admin.post("/admin/plan", data=_form(admin) | {"public_page": []}).status_code == 302
    assert _plan(writable_app).public_page is False
    assert anonymous.get(f"/public/{code}").status_code == 404
