"""The ward's clock: what people observe and report is in the ward's local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def ward_now() -> datetime:
    """The ward's time, timezone-aware (a phone's "+07:00" or "Z" times convert against it)."""
    name = current_app.config.get("TIMEZONE", DEFAULT_TIMEZONE) if has_app_context() \
        else DEFAULT_TIMEZONE
    return datetime.now(ZoneInfo(name)).replace(microsecond=0)


def local_now() -> datetime:
    """The ward's wall-clock time (records store local time, as staff read it)."""
    return ward_now().replace(tzinfo=None)
