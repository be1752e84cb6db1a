# One date format per language (docs/design-system.md): 24-hour times, the day before the month, no "a.m.".
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "D j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
