# Belarusian dates in the style of Django's Russian ones: "14 траўня 2004 г." ("E" is the
# month's name in the genitive, from Django's Belarusian catalogue), "14.05.2004" where short.
DATE_FORMAT = "j E Y г."
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "j E Y г. G:i"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '14.05.2004'
    "%d.%m.%y",  # '14.05.04'
    "%Y-%m-%d",  # '2004-05-14'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",  # '14.05.2004 14:30:59'
    "%d.%m.%Y %H:%M:%S.%f",  # '14.05.2004 14:30:59.000200'
    "%d.%m.%Y %H:%M",  # '14.05.2004 14:30'
    "%d.%m.%y %H:%M:%S",  # '14.05.04 14:30:59'
    "%d.%m.%y %H:%M",  # '14.05.04 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2004-05-14 14:30:59'
    "%Y-%m-%d %H:%M",  # '2004-05-14 14:30'
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
