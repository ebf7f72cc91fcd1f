"""How the event dialog says it read a typed date ("month: March 2018"), or which forms it
accepts. Pure and quick (the core's ``parse_date`` reads the usual forms by pattern), so it runs
on the GUI thread as the user types."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

ACCEPTED = ("2018-03-05, 5 March 2018, March 5 2018, March 2018, 2018, 2017–2019, "
            "before June 2018, after 2019, 2018年3月5日")


def _iso(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _day(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def _month(d: date) -> str:
    return f"{calendar.month_name[d.month]} {d.year}"


def _span(a: date, b: date) -> str:
    whole_years = (a.month, a.day) == (1, 1) and (b.month, b.day) == (12, 31)
    whole_months = a.day == 1 and b.day == calendar.monthrange(b.year, b.month)[1]
    if whole_years:
        return f"{a.year} – {b.year}"
    if whole_months:
        return f"{_month(a)} – {_month(b)}"
    return f"{_day(a)} – {_day(b)}"


def describe(kind: str, date_from: Any, date_to: Any) -> str:
    """``month: March 2018``, ``range: 2017 – 2019``, ``before: 1 June 2018`` …"""
    a, b = _iso(date_from), _iso(date_to)
    if kind == "exact" and a:
        return f"exact: {_day(a)}"
    if kind == "month" and a:
        return f"month: {_month(a)}"
    if kind == "year" and a:
        return f"year: {a.year}"
    if kind == "range" and a and b:
        return f"range: {_span(a, b)}"
    if kind == "before" and b:
        return f"before: {_day(b)} at the latest"
    if kind == "after" and a:
        return f"after: {_day(a)} at the earliest"
    return kind


def read(text: str) -> tuple[bool, str]:
    """(understood, what to show) for the date typed so far."""
    text = text.strip()
    if not text:
        return False, f"Type a date. Accepted: {ACCEPTED}"
    try:
        from workbench.chronology import dates
    except ImportError:  # a core without the chronology: the save will say
        return True, "The date is read when the event is saved."
    accepted = getattr(dates, "ACCEPTED", ACCEPTED)
    try:
        d = dates.parse_date(text)
    except Exception as exc:  # a refusal: its reason (an ambiguous 05/03), and the forms
        message = str(getattr(exc, "message", "") or "")
        why = message.split(": ", 1)[1] if ": " in message else ""
        lead = f"Not a date I can read: {why}." if why else "Not a date I can read."
        return False, f"{lead} Accepted: {accepted}"
    return True, "Read as " + describe(d.kind, d.date_from, d.date_to)


def shown_date(date_info: dict[str, Any]) -> str:
    """An event's date as the table shows it: as typed (the reading is in the tooltip)."""
    return str(date_info.get("text") or date_info.get("from") or "")
