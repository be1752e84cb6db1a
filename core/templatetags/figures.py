"""Figures as people read them: money always with its currency and enough digits to be non-zero when it is."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    """`{{ job.cost|money:job.currency }}`: "0.00012 USD", "1.20 USD", "–" when there is no figure.

    Two decimals for amounts of one or more; below that, two significant digits, so a small non-zero cost never
    shows as 0.0000.
    """
    if amount is None or amount == "":
        return "–"
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return "–"
    places = 2 if value == 0 or abs(value) >= 1 else max(2, -value.adjusted() + 1)
    text = number_format(
        value.quantize(Decimal(1).scaleb(-places)), decimal_pos=places, use_l10n=True, force_grouping=True
    )
    return f"{text} {currency}".strip()


@register.filter
def ratio(value, digits: int = 2) -> str:
    """A ratio as "3.2×"; "–" when there is none."""
    if value is None:
        return "–"
    return f"{number_format(round(float(value), int(digits)), decimal_pos=int(digits), use_l10n=True)}×"


@register.filter
def measured(value, digits: int = 2) -> str:
    """A measured number with its decimals, or "–" (unlike floatformat, which turns the dash into nothing)."""
    if value is None or value == "":
        return "–"
    return number_format(round(float(value), int(digits)), decimal_pos=int(digits), use_l10n=True)


@register.filter
def hours(seconds, digits: int = 1) -> str:
    """Seconds of device time as hours ("12.5"), which people read more easily than device-seconds."""
    if seconds is None or seconds == "":
        return "–"
    return number_format(round(float(seconds) / 3600, int(digits)), decimal_pos=int(digits), use_l10n=True)


@register.filter
def duration(seconds, signed: bool = False) -> str:
    """Device or CPU time in the unit people read at that size: "6.4 s", "12.5 min", "36.0 h"; "–" when none.

    `|duration:True` keeps a "+" on positive amounts, for ledgers where the sign says which way the balance moved.
    """
    if seconds is None or seconds == "":
        return "–"
    value = float(seconds)
    size = abs(value)
    if size < 60:
        amount, unit = value, pgettext("unit of time", "s")
    elif size < 3600:
        amount, unit = value / 60, pgettext("unit of time", "min")
    else:
        amount, unit = value / 3600, pgettext("unit of time", "h")
    text = number_format(round(amount, 1), decimal_pos=1, use_l10n=True, force_grouping=True)
    if signed and value > 0:
        text = f"+{text}"
    return f"{text} {unit}"
