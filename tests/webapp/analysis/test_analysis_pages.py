"""Analysis pages and their JSON on the read-only demo (both backends): roles, content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from shapely.geometry import Point, shape

ROLES = ("admin", "police", "urban_staff", "leader")
VIEW_PAGES = ("/ranking", "/ranking/KP01", "/hotspots", "/coverage", "/targets")
VIEW_APIS = ("/api/v1/ranking", "/api/v1/hotspots", "/api/v1/coverage")
TARGETS = Path(__file__).resolve().parents[3] / "data" / "plans" / "tam-phuoc.yaml"


def test_anonymous_is_sent_to_sign_in(anonymous):
    for url in (*VIEW_PAGES, "/ranking/manual", "/admin/rubric"):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.location
    for url in VIEW_APIS:
        response = anonymous.get(url)
        assert response.status_code == 401, url
        assert "đăng nhập" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_views_the_analyses(client_as, role):
    client = client_as(role)
    for url in ("/targets", "/coverage", "/api/v1/coverage", "/api/v1/ranking"):
        assert client.get(url).status_code == 200, url
    html = client.get("/ranking").get_data(as_text=True)
    for endpoint_text in ("Xếp hạng", "Điểm nóng", "Nhà trọ mô hình", "Chỉ tiêu"):
        assert f">{endpoint_text}</a>" in html  # the top navigation links these pages
    assert ('id="publish-button"' in html) == (role in ("urban_staff", "admin"))
    assert ("Nhập điểm thủ công" in html) == (role in ("urban_staff", "admin"))
    manual = client.get("/ranking/manual")
    assert manual.status_code == (200 if role in ("urban_staff", "admin") else 403)
    rubric = client.get("/admin/rubric")
    assert rubric.status_code == (200 if role == "admin" else 403)


def test_heavier_pages_render_for_a_leader(client_as):
    leader = client_as("leader")
    for url in VIEW_PAGES:
        response = leader.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert '<html lang="vi">' in html and "DỮ LIỆU MÔ PHỎNG" in html
        # No inline handlers; every inline script carries this response's nonce (a JSON data
        # block is not run, so it needs none).
        assert not re.search(r"\son[a-z]+=", html)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
        for tag in re.findall(r"<script(?![^>]*\ssrc=)(?![^>]*application/json)[^>]*>", html):
            assert f'nonce="{nonce}"' in tag, (url, tag)
        assert not re.findall(r'(?:src|href)="https?://', html)  # no CDN


def test_ranking_page_is_a_draft_with_table_and_map(client_as):
    html = client_as("leader").get("/ranking?month=2026-10").get_data(as_text=True)
    assert "Xếp hạng khu phố tháng 10/2026" in html
    assert "BẢN NHÁP (chưa công bố)" in html and "ĐÃ CÔNG BỐ" not in html
    assert "Nếu tính lại bây giờ" not in html
    assert html.count('<tr data-code="KP') == 26
    assert 'type="month"' in html and 'value="2026-10"' in html
    assert "/ranking?month=2026-09" in html  # previous month
    assert "/vendor/leaflet/leaflet.js" in html and "/static/js/analysis/ranking.js" in html
    assert 'id="analysis-config"' in html
    for label in ("Xuất sắc", "Tốt", "Đạt", "Chưa đạt", "Thiếu dữ liệu"):
        assert label in html


def test_bad_month_falls_back_with_a_warning(client_as):
    response = client_as("leader").get("/ranking?month=2026-13")
    assert response.status_code == 200
    assert "Tháng &#39;2026-13&#39; không hợp lệ" in response.get_data(as_text=True)


def test_ranking_geojson(client_as):
    client = client_as("leader")
    body = client.get("/api/v1/ranking?month=2026-10").get_json()
    assert body["type"] == "FeatureCollection" and body["month"] == "2026-10"
    assert body["published"] is None
    assert len(body["features"]) == 26
    ranks = []
    for feature in body["features"]:
        p = feature["properties"]
        assert set(p) >= {"code", "name", "rank", "total", "tier", "tier_label", "status",
                          "rank_change", "published"}
        assert p["published"] is False
        assert shape(feature["geometry"]).contains(Point(p["label_point"]))
        if p["status"] == "ranked":
            assert 0 <= p["total"] <= 100 and p["tier_label"]
            ranks.append(p["rank"])
    assert min(ranks) == 1
    bad = client.get("/api/v1/ranking?month=10-2026")
    assert bad.status_code == 400
    assert "không hợp lệ" in bad.get_json()["error"]["message"]
    assert bad.get_json()["error"]["field"] == "month"


def test_khu_pho_page_explains_the_score(client_as):
    client = client_as("leader")
    response = client.get("/ranking/KP03?month=2026-10")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Khu phố 3" in html and "tháng 10/2026" in html
    for label in ("Tiến độ tuyến đường/cụm dân cư kiểu mẫu", "Số vụ lấn chiếm trên 1 km đường",
                  "Chủ cơ sở đã ký cam kết ANTT", "Gửi báo cáo tháng trước ngày 25"):
        assert label in html
    assert "Điểm đạt / điểm áp dụng" in html and "Chưa chấm" in html
    chart = re.search(r'<svg class="trend-chart".*?</svg>', html, re.S)[0]
    assert chart.count('<g class="point') == 12 and "class=\"trend-line\"" in chart
    assert ">11</text>" in chart and ">2025</text>" in chart and ">2026</text>" in chart
    assert 'class="point draft"' in chart  # nothing published in the read-only demo
    assert client.get("/ranking/KP99").status_code == 404


def test_hotspots_json_has_hot_cells_where_encroachment_clusters(client_as):
    client = client_as("urban_staff")
    body = client.get("/api/v1/hotspots?from=2025-01-01&to=2026-12-31&cell=50").get_json()
    cells = body["cells"]["features"]
    assert cells, "the demo's encroachment clusters should make hotspots"
    classes = {f["properties"]["cls"] for f in cells}
    assert classes <= {"hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90"}
    hottest = cells[0]["properties"]
    assert hottest["cls"].startswith("hot") and hottest["rank"] == 1
    assert [f["properties"]["z"] for f in cells] == sorted(
        (f["properties"]["z"] for f in cells), reverse=True)
    # Around the hottest cell, encroachment incidents really do concentrate.
    minx, miny, maxx, maxy = shape(cells[0]["geometry"]).buffer(0.001).bounds
    around = client.get(f"/api/v1/incidents?bbox={minx},{miny},{maxx},{maxy}&from=2025-01-01"
                        "&to=2026-12-31&category=encroachment_sidewalk,encroachment_road")
    assert around.get_json()["numberMatched"] >= 5
    for feature in body["repeats"]["features"]:
        p = feature["properties"]
        assert p["count"] >= 3 and p["category"] in ("encroachment_sidewalk",
                                                      "encroachment_road")
        assert p["first_seen"] <= p["last_seen"]
    page = client.get("/hotspots?from=2025-01-01&to=31/12/2026&cell=50").get_data(as_text=True)
    first_row = re.search(r'<table class="data-table compact hot-table".*?<tbody>(.*?)</tr>',
                          page, re.S)[1]
    assert hottest["neighbourhood"] in first_row and hottest["street"] in first_row
    assert "01/01/2025" in page and "31/12/2026" in page


@pytest.mark.parametrize("query, field, text", [
    ("cell=abc", "cell", "phải là số nguyên"),
    ("cell=5", "cell", "phải ≥ 25"),
    ("category=fireworks", "category", "Loại vi phạm không hợp lệ"),
    ("from=2026-13-01", "from", "không hợp lệ"),
    ("from=2026-06-01&to=2026-01-01", "from", "phải trước hoặc bằng"),
    ("colour=red", "colour", "không được hỗ trợ"),
])
def test_hotspot_parameters_are_checked(client_as, query, field, text):
    client = client_as("leader")
    response = client.get(f"/api/v1/hotspots?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and text in error["message"]
    page = client.get(f"/hotspots?{query}")
    assert page.status_code == 400 and text in page.get_data(as_text=True)


def test_hotspot_refusals_and_labels_in_english(client_as):
    client = client_as("leader")
    client.set_cookie("lang", "en")
    error = client.get("/api/v1/hotspots?from=2026-06-01&to=2026-01-01").get_json()["error"]
    assert error["field"] == "from"
    assert error["message"] == "'from' must not be after 'to'." == error["message_en"]
    unknown = client.get("/api/v1/hotspots?colour=red").get_json()["error"]
    assert unknown["message"].startswith("Unsupported parameter(s): colour. Allowed: ")
    page = client.get("/hotspots").get_data(as_text=True)
    assert "Hotspot — 99% confidence" in page and "Điểm nóng — tin cậy" not in page
    coverage = client.get("/coverage").get_data(as_text=True)
    assert "0% (no house nearby)" in coverage and "không nhà nào gần" not in coverage


def test_the_targets_summary_in_english(client_as):
    client = client_as("leader")
    client.set_cookie("lang", "en")
    page = client.get("/targets").get_data(as_text=True)
    assert "Đúng tiến độ" not in page and "Có nguy cơ chậm" not in page  # the four counts
    assert "of the target reached" in page and "Hoàn thành" not in page


def test_hotspot_defaults_are_encroachment_over_six_months(client_as):
    body = client_as("leader").get("/api/v1/hotspots").get_json()
    parameters = body["parameters"]
    assert parameters["categories"] == ["encroachment_sidewalk", "encroachment_road"]
    assert parameters["cell_m"] == 50
    months = (int(parameters["to"][:4]) * 12 + int(parameters["to"][5:7])
              - int(parameters["from"][:4]) * 12 - int(parameters["from"][5:7]))
    assert months in (5, 6)


def test_coverage_lists_gaps_first(client_as):
    client = client_as("police")
    body = client.get("/api/v1/coverage").get_json()
    assert len(body["features"]) == 26
    gaps = [f["properties"]["name"] for f in body["features"] if f["properties"]["gap"]]
    assert gaps, "the demo leaves some khu phố without a model house"
    flags = [f["properties"]["gap"] for f in body["features"]]
    assert flags == sorted(flags, reverse=True)  # gaps first
    for feature in body["features"]:
        p = feature["properties"]
        assert p["gap"] == (p["model_houses"] == 0)
        if p["houses"]:
            assert 0 <= p["share_near_model"] <= 1
    html = client.get("/coverage").get_data(as_text=True)
    rows = re.findall(r'<tr class="(gap-row)?" data-code="(KP\d+)">', html)
    assert len(rows) == 26
    assert [bool(cls) for cls, _ in rows] == flags
    assert html.count("Chưa có mô hình</span>") == len(gaps)
    assert f"{len(gaps)}/26" in html


def test_targets_page_lists_every_target(client_as):
    html = client_as("leader").get("/targets").get_data(as_text=True)
    plan = yaml.safe_load(TARGETS.read_text(encoding="utf-8"))
    for target in plan["targets"]:
        assert target["label"] in html, target["code"]
    assert html.count('class="target-row') == len(plan["targets"])
    for text in ("Đã đạt", "Đúng tiến độ", "Có nguy cơ chậm", "Không đạt (quá hạn)"):
        assert text in html  # the summary names every status in words
    assert "27/08/2027" in html and "31/03/2027" in html  # deadlines dd/mm/yyyy
    assert re.search(r'class="bar-fill bar-\w+" style="width: [\d.]+%"', html)
