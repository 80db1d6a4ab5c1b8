"""Display helpers shared by the desk pages (incidents, boarding houses, admin).

Each desk blueprint registers them with ``register(bp)``; registering twice is harmless.
Dates are shown dd/mm/yyyy, money as "1.500.000 đ", as Vietnamese readers expect.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, request, url_for

from geo import wardzone


def vn_date(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def vn_datetime(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return vn_date(value)
    return value.strftime("%d/%m/%Y %H:%M")


def vn_system_datetime(value) -> str:
    """A system timestamp (stored in UTC: created_at, updated_at) in the ward's local time."""
    if not isinstance(value, datetime):
        return vn_datetime(value)
    return vn_datetime(wardzone.from_utc(value))


def vn_number(value) -> str:
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


def vn_amount(value) -> str:
    """A figure as staff write it: ``1500000`` → ``"1.500.000"``, ``12.5`` → ``"12,5"``."""
    if value is None:
        return ""
    value = float(value)
    if value.is_integer():
        return vn_number(value)
    sign = "-" if value < 0 else ""
    whole, _, part = f"{abs(value):.4f}".rstrip("0").partition(".")
    return sign + (f"{vn_number(int(whole))},{part}" if part else vn_number(int(whole)))


def vnd(value) -> str:
    return "" if value is None else f"{vn_number(value)} đ"


def page_url(number: int) -> str:
    """This page's URL with the same query, on page ``number``."""
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    return url_for(request.endpoint, **(request.view_args or {}), **args, page=number)


def photo_url(photo_id: int) -> str:
    """Where a stored photo is served (``GET /photos/<id>``, the field blueprint's route)."""
    return f"{request.script_root}/photos/{int(photo_id)}"


def parse_page(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100_000))
    except ValueError:
        return 1


def register(bp: Blueprint) -> None:
    for name, function in (("vn_date", vn_date), ("vn_datetime", vn_datetime),
                           ("vn_system_datetime", vn_system_datetime),
                           ("vn_number", vn_number), ("vn_amount", vn_amount), ("vnd", vnd)):
        bp.add_app_template_filter(function, name)
    bp.add_app_template_global(page_url, "page_url")
    bp.add_app_template_global(photo_url, "photo_url")


def parse_month(value: str | None) -> date | None:
    """``yyyy-mm`` (what ``<input type=month>`` sends) or ``mm/yyyy``; ``ValueError`` if bad."""
    value = (value or "").strip()
    if not value:
        return None
    if "/" in value:
        month, year = value.split("/", 1)
    else:
        year, _, month = value.partition("-")
    parsed = date(int(year), int(month), 1)
    if not 2000 <= parsed.year <= 2100:
        raise ValueError(value)
    return parsed
