# Day, month's name, year: "14 May 2004". Never month/day, which half our readers take for
# day/month. The *_FORMAT strings use Django's date syntax, the *_INPUT_FORMATS strftime's.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first: date widgets show a value in the first format, and it reads the same to everyone.
# No slashed form: "05/04/2004" is a different day on each side of the Atlantic.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2004-05-14'
    "%d.%m.%Y",  # '14.05.2004'
    "%d %b %Y",  # '14 May 2004'
    "%d %B %Y",  # '14 May 2004', '14 September 2004'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2004-05-14 14:30:59'
    "%Y-%m-%d %H:%M:%S.%f",  # '2004-05-14 14:30:59.000200'
    "%Y-%m-%d %H:%M",  # '2004-05-14 14:30'
    "%d.%m.%Y %H:%M:%S",  # '14.05.2004 14:30:59'
    "%d.%m.%Y %H:%M",  # '14.05.2004 14:30'
]
