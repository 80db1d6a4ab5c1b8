"""The wards' time zone: one per installation (``URBANORDER_TIMEZONE``).

People read and enter times in the ward's wall-clock time; what is stored is UTC. These
functions convert between the two (naive datetimes on both sides).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
_zone: tzinfo = ZoneInfo(DEFAULT_ZONE)


def set_zone(name: str) -> None:
    """Use the time zone ``name`` (IANA) in this process (``webapp.create_app`` sets it)."""
    global _zone
    _zone = ZoneInfo(name)


def zone() -> tzinfo:
    return _zone


def to_utc(moment: datetime) -> datetime:
    """``moment`` (naive: ward time; aware: any zone) as naive UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone)
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_utc(moment: datetime) -> datetime:
    """Naive UTC ``moment`` as naive ward time."""
    return moment.replace(tzinfo=UTC).astimezone(_zone).replace(tzinfo=None)


def utc_offset() -> timedelta:
    """The zone's offset from UTC now (fixed for zones without daylight saving)."""
    return datetime.now(_zone).utcoffset() or timedelta(0)
