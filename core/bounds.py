"""The ranges every date and number a person types must fall in.

A date far outside them does more than look odd: 9999-12-31 in a time zone west of UTC is stored past year 10,000,
which Python cannot read back, and every page that lists the event then fails. An integer past its column's range
is a database error instead of a form error. So forms and serializers bound their fields with these values, and
services check them again (check_datetime_in_range, check_int_in_range) for every other caller.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.exceptions import DomainError

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
# Column ranges (PostgreSQL): smallint, integer.
SMALLINT_MAX = 32767
INTEGER_MAX = 2147483647

# Without a time zone (a serializer field), allow the widest offsets there are (UTC-12 to UTC+14).
_ANY_ZONE_MIN = datetime.combine(DATE_MIN, time.min, tzinfo=UTC) - timedelta(hours=14)
_ANY_ZONE_MAX = datetime.combine(DATE_MAX, time.max, tzinfo=UTC) + timedelta(hours=12)


def datetime_in_range(value: datetime, tz: tzinfo | None = None) -> bool:
    """Whether value falls between DATE_MIN and DATE_MAX, read in tz (or in any time zone when tz is None)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz or UTC)
    if tz is None:
        return _ANY_ZONE_MIN <= value <= _ANY_ZONE_MAX
    low = datetime.combine(DATE_MIN, time.min, tzinfo=tz)
    high = datetime.combine(DATE_MAX, time.max, tzinfo=tz)
    return low <= value <= high


def _range_message() -> str:
    return _("Choose a date between %(min)s and %(max)s.") % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


def check_datetime_in_range(value: datetime | None, *, tz: tzinfo | None = None, field: str | None = None) -> None:
    """Raise a DomainError on the field when value is outside DATE_MIN..DATE_MAX in tz."""
    if value is not None and not datetime_in_range(value, tz):
        raise DomainError(_range_message(), code="out_of_range", field=field)


def validate_datetime_in_range(value: datetime | None) -> None:
    """A form or serializer field validator (the service checks again in the event's own time zone)."""
    if value is not None and not datetime_in_range(value):
        raise ValidationError(_range_message(), code="out_of_range")


def check_int_in_range(value: int | None, *, low: int, high: int, field: str | None = None) -> None:
    if value is not None and not low <= value <= high:
        raise DomainError(
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
            code="out_of_range",
            field=field,
        )
