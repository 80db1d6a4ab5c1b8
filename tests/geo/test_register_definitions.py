"""Register types as data: the definition schema, XLSForm in and out, entry checks."""

from __future__ import annotations

import io

import openpyxl
import pytest
import shapely

from geo import register_rows, register_values, registers
from geo.i18n import translate
from geo.numbers import NumberRefused
from geo.resources import DATA_DIR
from geo.xlsform import XLSFormRefused, read_xlsform, write_xlsform

CHOICES = [["list_name", "name", "label::Vietnamese (vi)"], ["status", "good", "Tốt"],
           ["status", "bad", "Hỏng"], ["yes_no", "yes", "Có"], ["yes_no", "no", "Không"]]


def xlsform(survey, choices=CHOICES, settings=(("form_title", "form_id"),
                                               ("Cây xanh", "trees"))) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for name, rows in (("choices", choices), ("settings", settings)):
        extra = book.create_sheet(name)
        for row in rows:
            extra.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TREES = [["type", "name", "label::Vietnamese (vi)", "required", "constraint"],
         ["geopoint", "location", "Vị trí", "yes", ""],
         ["select_one status", "status", "Tình trạng", "yes", ""],
         ["integer", "height", "Chiều cao", "", ". >= 0 and . <= 100"],
         ["decimal", "trunk", "Đường kính", "", ""],
         ["date", "planted", "Ngày trồng", "", ""],
         ["image", "photo", "Ảnh", "yes", ""],
         ["select_one yes_no", "pruned", "Đã cắt tỉa", "", ""],
         ["note", "intro", "Ghi chú hướng dẫn", "", ""],
         ["text", "remark", "Ghi chú", "", ""]]


def test_an_xlsform_defines_a_register():
    definition = read_xlsform(xlsform(TREES))
    assert definition["code"] == "trees" and definition["name"] == "Cây xanh"
    assert definition["geometry"] == "point"
    kinds = {f["name"]: f["kind"] for f in definition["fields"]}
    assert kinds == {"status": "choice", "height": "number", "trunk": "number",
                     "planted": "date", "photo": "photo", "pruned": "yesno", "remark": "text"}
    height = next(f for f in definition["fields"] if f["name"] == "height")
    assert (height["integer"], height["min"], height["max"]) == (True, 0, 100)
    status = next(f for f in definition["fields"] if f["name"] == "status")
    assert status["required"] and status["label"] == "Tình trạng"
    assert [c["label"] for c in status["choices"]] == ["Tốt", "Hỏng"]


def test_what_a_register_cannot_hold_is_reported_in_vietnamese_all_at_once():
    survey = [["type", "name", "label", "constraint", "relevant"],
              ["geopoint", "location", "Vị trí", "", ""],
              ["begin_group", "g", "Nhóm", "", ""], ["text", "a", "A", "", ""],
              ["end_group", "", "", "", ""],
              ["select_multiple status", "many", "Nhiều", "", ""],
              ["integer", "n", "Số", "regex(., '[0-9]+')", ""],
              ["text", "b", "B", "", "${a} = 'x'"],
              ["geotrace", "route", "Tuyến", "", ""]]
    with pytest.raises(XLSFormRefused) as refused:
        read_xlsform(xlsform(survey))
    messages = " | ".join(m for _, m in refused.value.problems)
    assert "Nhóm/lặp “g” chưa được hỗ trợ" in messages
    assert "select_multiple" in messages
    assert "Ràng buộc “regex(., '[0-9]+')” chưa được hỗ trợ" in messages
    assert "cột relevant chưa được hỗ trợ" in messages
    assert "đúng một câu vị trí" in messages


def test_a_file_that_is_no_xlsform_is_refused():
    with pytest.raises(XLSFormRefused) as refused:
        read_xlsform(b"not a workbook", "form.xlsx")
    assert "không đọc được như một XLSForm" in str(refused.value)
    with pytest.raises(XLSFormRefused):
        read_xlsform(b"x", "form.pdf")


@pytest.mark.parametrize("code", sorted(registers.load_presets(DATA_DIR / "registers")))
def test_every_preset_round_trips_through_xlsform(code):
    definition = registers.load_presets(DATA_DIR / "registers")[code]
    assert read_xlsform(write_xlsform(definition), f"{code}.xlsx") == definition


def test_presets_cover_the_plans_registers():
    presets = registers.load_presets(DATA_DIR / "registers")
    assert {"cameras", "trees", "garbage_points", "wells_to_fill", "flood_points",
            "alley_works", "self_management_groups"} <= set(presets)
    cameras = {f["name"]: f for f in presets["cameras"]["fields"]}
    assert {c["value"] for c in cameras["status"]["choices"]} >= {"working", "broken"}
    assert "repair_plan" in cameras
    alleys = {f["name"]: f for f in presets["alley_works"]["fields"]}
    assert alleys["progress_pct"]["max"] == 100 and "residents_vnd" in alleys
    assert presets["alley_works"]["geometry"] == "line"
    groups = presets["self_management_groups"]
    assert {c["label"] for c in groups["fields"][1]["choices"]} == {
        "Tổ liên gia an toàn PCCC", "Tổ tự quản ANTT"}
    assert [f["name"] for f in registers.public_fields(groups, personal=False)
            if f["name"].startswith("leader")] == []


def test_definition_problems_are_named():
    _clean, errors = registers.validate_definition({
        "code": "Cây", "name": "", "geometry": "circle", "symbol": {"colour": "red"},
        "fields": [{"name": "id", "kind": "text"}, {"name": "a", "kind": "choice"},
                   {"name": "a", "kind": "text"}, {"name": "b", "kind": "money"}]})
    text = " | ".join(m for _, m in errors)
    for expected in ("Mã sổ “Cây” không hợp lệ", "Sổ cần có tên", "đúng một loại vị trí",
                     "#RRGGBB", "trùng tên dành riêng", "chưa có lựa chọn nào",
                     "“a” bị lặp", "loại “money” không được hỗ trợ"):
        assert expected in text, expected


def test_entry_values_are_checked_against_the_type():
    definition = read_xlsform(xlsform(TREES))
    clean, errors = register_values.validate_attributes(definition, {
        "status": "Hỏng", "height": "12", "trunk": "3,5", "planted": "01/02/2025",
        "pruned": True, "remark": " ok "}, photos=1)
    assert errors == []
    assert clean == {"status": "bad", "height": 12, "trunk": 3.5, "planted": "2025-02-01",
                     "pruned": True, "remark": "ok"}
    _clean, errors = register_values.validate_attributes(definition, {
        "status": "dead", "height": 101, "planted": "hôm qua", "colour": "x"}, photos=0)
    fields = {f for f, _ in errors}
    assert fields == {"colour", "status", "height", "planted", "photo"}
    assert ("height", "Chiều cao phải từ 0 đến 100.") in errors
    with pytest.raises(NumberRefused) as refused:  # the bounds in the reader's locale
        register_values._number({"kind": "number", "min": 0.5, "max": 2.5}, "3")
    said = refused.value.args[0]
    assert (str(said), translate(said, "en")) == \
        ("phải từ 0,5 đến 2,5.", "must be from 0.5 to 2.5.")


def test_rows_import_is_checked_row_by_row():
    definition = read_xlsform(xlsform(TREES))
    headers = ["lon", "lat", "Tình trạng", "chieu cao", "Màu lá"]
    rows = [[106.92, 10.85, "Tốt", 5, None], [None, None, "Tốt", 5, None],
            [106.92, 10.85, "Héo", 500, None]]
    clean, errors = register_rows.check_rows(definition, headers, rows)
    assert (1, "Màu lá", "Cột “Màu lá” không có trong sổ.") in errors
    assert {e[0] for e in errors} == {1, 3, 4}
    assert clean[0]["attributes"] == {"status": "good", "height": 5}
    assert isinstance(clean[0]["geometry"], shapely.Point)


def test_lines_need_a_line():
    geometry, _loc, errors = register_rows.geometry_from_payload(
        "line", {"geometry": {"type": "Point", "coordinates": [106.9, 10.8]}})
    assert geometry is None and "phải là đường" in errors[0][1]
    geometry, _loc, errors = register_rows.geometry_from_payload(
        "line", {"geometry": {"type": "LineString", "coordinates": [[106.9, 10.8],
                                                                   [106.91, 10.81]]}})
    assert errors == [] and geometry.geom_type == "LineString"


def test_exported_cells_never_run_as_formulas():
    definition = read_xlsform(xlsform(TREES))
    fields = definition["fields"]
    row = register_rows.export_row(1, shapely.Point(106.9, 10.8),
                                   {"remark": "=HYPERLINK(\"http://x\")", "status": "good"},
                                   fields)
    csv_text = register_rows.to_csv(register_rows.header_row(definition, fields), [row])
    assert "'=HYPERLINK" in csv_text.decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(register_rows.to_xlsx("Cây", ["a"], [row])))
    cells = [c for c in book.active[2] if c.value and str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_definitions_problems_read_english_and_its_point_is_no_score():
    _, errors = registers.validate_definition({"code": "Cây", "name": "", "geometry": "area",
                                               "fields": [{"name": "h", "kind": "number",
                                                           "min": "x"}]})
    said = {where: (str(m), translate(m, "en")) for where, m in errors}
    assert said["name"] == ("Sổ cần có tên.", "The register needs a name.")
    assert said["fields[0]"] == ("Giới hạn dưới phải là số.", "The lower limit must be a number.")
    assert said["code"][1].startswith("The register code “Cây” is not valid")
    # The same Vietnamese word, two meanings: a register's point, the ranking's points.
    assert str(registers.GEOMETRIES["point"]) == "Điểm"
    assert translate(registers.GEOMETRIES["point"], "en") == "Point"
    assert translate("Điểm", "en") == "Points"
