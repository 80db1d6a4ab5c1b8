"""The map page renders with local assets and the synthetic-data notice."""

from __future__ import annotations

import re


def test_map_page_is_vietnamese_and_labels_synthetic_data(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "DỮ LIỆU MÔ PHỎNG" in html
    assert "Lấn chiếm vỉa hè" in html and "Trục điểm kiểu mẫu" in html
    assert 'type="month"' in html and "Khu phố" in html


def test_no_asset_comes_from_the_internet(client):
    html = client.get("/").get_data(as_text=True)
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    for asset in re.findall(r'(?:src|href)="(/(?:vendor|static)/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset


def test_tile_url_is_a_setting(demo_app, client):
    demo_app.config["TILE_URL"] = "http://tiles.example.invalid/{z}/{x}/{y}.png"
    response = client.get("/")
    assert "tiles.example.invalid" in response.get_data(as_text=True)
    # ... and the Content-Security-Policy lets the browser fetch exactly that host's images.
    assert "img-src 'self' data: blob: http://tiles.example.invalid" in \
        response.headers["Content-Security-Policy"]
    demo_app.config["TILE_URL"] = ""
    assert "tiles.example.invalid" not in client.get("/").get_data(as_text=True)


def test_unknown_ward_page_is_a_clear_404(client):
    response = client.get("/?ward=nowhere")
    assert response.status_code == 404
    assert "urbanorder demo" in response.get_data(as_text=True)


def test_vendor_assets_unknown_package_404(client):
    assert client.get("/vendor/jquery/jquery.js").status_code == 404
