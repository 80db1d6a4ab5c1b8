"""The sentences a Bảng 3 row's figures make: the target's state and what the month added.

Said in the reader's ``locale`` (``geo.i18n``); the plan's own texts (a target's unit, phase,
the route's name) and the data's ``detail`` go in as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from geo import formatting as fmt
from geo.i18n import N_, translate


@dataclass
class MonthCounts:
    """What happened in the month (from the records), for the "trong tháng" sentences."""

    incidents_recorded: int = 0
    incidents_resolved: int = 0
    inspections: int = 0
    houses_inspected: int = 0
    inspections_passed: int = 0
    antt_signed: int = 0
    model_houses_recognised: int = 0
    model_streets_achieved: int = 0
    campaigns: int = 0
    # (name, incidents recorded in its area and period, resolved) of the month's campaigns
    campaign_results: list[tuple[str, int, int]] = field(default_factory=list)
    ads_recorded: int = 0  # illegal advertising on model streets
    ads_resolved: int = 0
    public_order: int = 0  # residence, drugs, fire safety
    public_order_base: int | None = None  # the same month of the plan's base year
    base_year: int | None = None
    ranking_published_on: date | None = None


def _dotted(detail, locale: str) -> str:
    """The data's detail in ``locale`` (``geo.targets`` gives a ``Message``; a stored
    report, its Vietnamese text), with thousands separators in "a/b" figures: "2349/3000"
    → "2.349/3.000"."""
    said = translate(detail, locale) if detail else ""
    return re.sub(r"(\d+)/(\d+)", lambda m: f"{fmt.integer(int(m.group(1)), locale=locale)}/"
                  f"{fmt.integer(int(m.group(2)), locale=locale)}", said)


def _kind(row: dict) -> str:
    kind = row.get("kind") or ""
    if kind == "done":
        return "binary"
    if kind == "reduction":
        return "reduction"
    return "share" if row.get("is_share") else "count"


def _target_text(row: dict, base_year: int | None, locale: str) -> str:
    goal, kind = float(row["target"]), _kind(row)
    unit = f" {row['unit']}" if row.get("unit") else ""
    if kind == "binary":
        return translate("hoàn thành", locale)
    share = fmt.percent(goal, locale=locale)
    if kind == "reduction":
        return translate("giảm ít nhất %(share)s so với năm %(year)s", locale, share=share,
                         year=base_year) if base_year \
            else translate("giảm ít nhất %(share)s", locale, share=share)
    if kind == "share":
        return share
    if goal.is_integer():
        return translate("ít nhất %(count)s", locale, count=str(int(goal)).zfill(2)) + unit
    return fmt.number(goal, 1, trim=True, locale=locale) + unit


def product_text(row: dict, base_year: int | None = None, locale: str = "vi") -> str:
    text = translate("Chỉ tiêu: %(target)s; thời hạn: %(deadline)s", locale,
                     target=_target_text(row, base_year, locale),
                     deadline=fmt.day(row["deadline"], locale=locale))
    return f"{text} ({row['phase']})" if row.get("phase") else text


# The target's current figures, by metric: ``detail`` (the data's "a/b"), ``pct``.
STATE_SENTENCES = {
    "houses_reviewed_share": N_("Rà soát, phân loại %(detail)s cơ sở (%(pct)s)"),
    "antt_commitment_share": N_("%(detail)s chủ cơ sở đã ký cam kết ANTT (%(pct)s)"),
    "fire_equipment_share": N_("%(detail)s cơ sở có thiết bị PCCC tối thiểu (%(pct)s)"),
    "kp_with_model_house_share": N_("%(detail)s khu phố có mô hình nhà trọ an toàn, văn minh, "
                                    "tự quản (%(pct)s)"),
    "kp_with_model_street_done_share": N_("%(detail)s khu phố có tuyến/cụm kiểu mẫu hoàn thành "
                                          "(%(pct)s)"),
    "ads_on_model_streets_handled_share": N_("Đã xử lý %(detail)s vụ quảng cáo, rao vặt trái "
                                             "phép trên tuyến kiểu mẫu (%(pct)s)"),
    "frontage_commitment_share": N_("%(detail)s mặt tiền tuyến kiểu mẫu đã ký cam kết "
                                    "(%(pct)s)"),
}


def _state(row: dict, due_day: int, locale: str) -> str:
    """The target's current figures as a sentence."""
    metric, value = row.get("metric") or "", row["value"]
    detail = _dotted(row.get("detail") or "", locale)
    if value is None:
        return translate("Chưa có số liệu (%(detail)s)", locale, detail=detail) if detail \
            else translate("Chưa có số liệu", locale)
    pct = fmt.percent(value, 1, trim=True, locale=locale)
    if metric in STATE_SENTENCES:
        return translate(STATE_SENTENCES[metric], locale, detail=detail, pct=pct)
    if metric == "demonstration_route_done":
        route = row.get("route_name") or translate("Trục điểm kiểu mẫu cấp phường", locale)
        if value >= 1:
            return translate("%(route)s: đã hoàn thành", locale, route=route)
        return translate("%(route)s: chưa hoàn thành, trạng thái hồ sơ: %(state)s", locale,
                         route=route, state=detail.lower())
    if metric == "campaigns_this_year":
        return translate("Đã tổ chức %(done)s/%(target)s đợt ra quân cao điểm trong năm",
                         locale, done=str(int(value)).zfill(2),
                         target=str(int(row["target"])).zfill(2))
    if metric == "public_order_reduction_vs_base":
        if value >= 0:
            return translate("Từ đầu năm: %(detail)s, giảm %(pct)s", locale, detail=detail,
                             pct=pct)
        return translate("Từ đầu năm: %(detail)s, tăng %(pct)s", locale, detail=detail,
                         pct=fmt.percent(-value, 1, trim=True, locale=locale))
    if metric == "rankings_published_before_due_share":
        return translate("Công bố xếp hạng khu phố trước ngày %(day)s: %(detail)s (%(pct)s)",
                         locale, day=due_day, detail=detail, pct=pct)
    if row.get("kind") in ("count", "manual"):  # a number of things, not a share
        return _first_upper(detail) if detail else fmt.number(value, 1, trim=True,
                                                              locale=locale)
    return f"{_first_upper(detail)} ({pct})" if detail else pct


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _this_month(metric: str, c: MonthCounts, month: str, locale: str) -> str:
    """What the month's records add to a target's figures (empty: nothing to add)."""
    if metric == "rankings_published_before_due_share":
        label = fmt.month(month, locale=locale)
        if not c.ranking_published_on:
            return translate("xếp hạng tháng %(month)s chưa công bố", locale, month=label)
        return translate("xếp hạng tháng %(month)s đã công bố ngày %(day)s", locale,
                         month=label, day=fmt.day(c.ranking_published_on, locale=locale))
    if metric == "houses_reviewed_share":
        return translate("%(inspections)s lượt kiểm tra tại %(houses)s cơ sở", locale,
                         inspections=c.inspections, houses=c.houses_inspected)
    if metric == "antt_commitment_share":
        return translate("%(count)s cam kết ANTT mới", locale, count=c.antt_signed)
    if metric == "fire_equipment_share":
        return translate("%(passed)s/%(inspections)s lượt kiểm tra đạt PCCC", locale,
                         passed=c.inspections_passed, inspections=c.inspections)
    if metric == "kp_with_model_house_share":
        return translate("%(count)s mô hình được công nhận mới", locale,
                         count=c.model_houses_recognised)
    if metric == "kp_with_model_street_done_share":
        return translate("%(count)s tuyến/cụm hoàn thành", locale,
                         count=c.model_streets_achieved)
    if metric == "campaigns_this_year":
        text = translate("%(count)s đợt ra quân", locale, count=c.campaigns)
        if not c.campaign_results:
            return text
        return text + " (" + "; ".join(
            translate("%(name)s: ghi nhận %(count)s vụ, xử lý xong %(done)s vụ", locale,
                      name=name, count=n, done=done)
            for name, n, done in c.campaign_results) + ")"
    if metric == "ads_on_model_streets_handled_share":
        return translate("ghi nhận %(count)s vụ, xử lý xong %(done)s vụ", locale,
                         count=c.ads_recorded, done=c.ads_resolved)
    if metric == "public_order_reduction_vs_base":
        base = "" if c.public_order_base is None else translate(
            " (cùng tháng %(year)s: %(count)s vụ)", locale, year=c.base_year,
            count=c.public_order_base)
        return translate("%(count)s vụ cư trú, ma túy, PCCC%(base)s; toàn phường ghi nhận "
                         "%(recorded)s vụ vi phạm, xử lý xong %(resolved)s vụ", locale,
                         count=c.public_order, base=base, recorded=c.incidents_recorded,
                         resolved=c.incidents_resolved)
    return ""


def figures_text(row: dict, counts: MonthCounts, month: str, due_day: int = 25,
                 locale: str = "vi") -> str:
    state = _state(row, due_day, locale)
    extra = _this_month(row.get("metric") or "", counts, month, locale)
    if not extra:
        return f"{state}."
    return translate("%(state)s; trong tháng %(month)s: %(extra)s.", locale, state=state,
                     month=fmt.month(month, locale=locale), extra=extra)
