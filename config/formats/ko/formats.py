# 언어마다 날짜 형식은 하나 (docs/design-system.md): 24시간제.
DATE_FORMAT = "Y년 n월 j일"
DATETIME_FORMAT = "Y년 n월 j일 (D) H:i"
SHORT_DATE_FORMAT = "Y년 n월 j일"
SHORT_DATETIME_FORMAT = "n월 j일 H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "n월 j일"
