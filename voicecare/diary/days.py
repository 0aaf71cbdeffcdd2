"""Days written and said in words: "3 March 2026", and "today", "yesterday" or "Tuesday 3 March"."""

from datetime import date, timedelta

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(day: date) -> str:
    """``day`` as written in the report: "3 March 2026" (no leading zero, no locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def spoken_day(day: date, today: date) -> str:
    """``day`` as said: "today", "yesterday", else "Tuesday 3 March" (with the year when not this year)."""
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    said = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return said if day.year == today.year else f"{said} {day.year}"
