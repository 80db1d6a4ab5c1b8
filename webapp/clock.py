"""The ward's clock: what people observe and report is in the ward's local time."""

from __future__ import annotations

from datetime import date, datetime

from geo import wardzone


def ward_now() -> datetime:
    """The ward's time, timezone-aware (a phone's "+07:00" or "Z" times convert against it)."""
    return datetime.now(wardzone.zone()).replace(microsecond=0)


def local_now() -> datetime:
    """The ward's wall-clock time, naive: how the application holds event times
    (``models.wardtime`` stores them in UTC)."""
    return ward_now().replace(tzinfo=None)


def local_today() -> date:
    return ward_now().date()
