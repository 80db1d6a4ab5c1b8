"""Event times: UTC in the database, the ward's wall-clock time in Python.

What people observe and report (an incident's ``observed_at``, an inspection's
``inspected_at``, a ranking's ``published_at``) is read and entered in the ward's time, so the
application works in naive ward-local datetimes; the database holds the same instants in UTC
(naive ``timestamp``), as its system times (``created_at``) already are. ``WardTime`` converts
on the way in and out, including the bound values of comparisons (``observed_at >= start``),
so a month's window in SQL is the ward's month.

One installation has one time zone (``geo.wardzone``, set by ``webapp.create_app`` from
``URBANORDER_TIMEZONE``). SQL that takes the calendar day of such a column
(``models.dialects.ward_date``) shifts by the zone's fixed offset: Vietnam has kept UTC+7
without daylight saving since 1975.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from geo.wardzone import from_utc, to_utc


class WardTime(TypeDecorator):
    """A ward wall-clock time in Python, stored as UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or value != value:  # None, NaT
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
            value = value.to_pydatetime()
        elif not isinstance(value, datetime):  # a day: its first moment
            value = datetime.combine(value, time())
        return to_utc(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # SQLite aggregates (MIN/MAX) of the stored text
            value = datetime.fromisoformat(value)
        return from_utc(value)

