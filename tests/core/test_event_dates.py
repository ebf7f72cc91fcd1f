"""Reading a chronology event's date: strict, honest, with the accepted forms named."""

from __future__ import annotations

import time

import pytest

from workbench.chronology.dates import parse_date, suggest_dates
from workbench.errors import UserError


@pytest.mark.parametrize("text, kind, lo, hi", [
    ("2018-03-05", "exact", "2018-03-05", "2018-03-05"),
    ("2018-03", "month", "2018-03-01", "2018-03-31"),
    ("2016-02", "month", "2016-02-01", "2016-02-29"),
    ("2018", "year", "2018-01-01", "2018-12-31"),
    ("5 March 2018", "exact", "2018-03-05", "2018-03-05"),
    ("5th Mar. 2018", "exact", "2018-03-05", "2018-03-05"),
    ("March 5, 2018", "exact", "2018-03-05", "2018-03-05"),
    ("march 5 2018", "exact", "2018-03-05", "2018-03-05"),
    ("March 2018", "month", "2018-03-01", "2018-03-31"),
    ("Sept 2019", "month", "2019-09-01", "2019-09-30"),
    ("2017–2019", "range", "2017-01-01", "2019-12-31"),
    ("2017-2019", "range", "2017-01-01", "2019-12-31"),
    ("between March 2018 and June 2018", "range", "2018-03-01", "2018-06-30"),
    ("2018-03-05 to 2018-04-02", "range", "2018-03-05", "2018-04-02"),
    ("March–June 2018", "range", "2018-03-01", "2018-06-30"),
    ("before June 2018", "before", None, "2018-05-31"),
    ("Before 5 March 2018", "before", None, "2018-03-04"),
    ("after 2019", "after", "2020-01-01", None),
    ("early 2018", "range", "2018-01-01", "2018-04-30"),
    ("late 2018", "range", "2018-09-01", "2018-12-31"),
    ("2018年3月5日", "exact", "2018-03-05", "2018-03-05"),
    ("２０１８年３月", "month", "2018-03-01", "2018-03-31"),
    ("2018年", "year", "2018-01-01", "2018-12-31"),
    ("2017年至2019年", "range", "2017-01-01", "2019-12-31"),
    ("2018年以前", "before", None, "2017-12-31"),
])
def test_accepted_forms_mean_their_bounds(text: str, kind: str, lo: str | None,
                                          hi: str | None) -> None:
    d = parse_date(f"  {text} ")
    assert (d.kind, d.date_from, d.date_to) == (kind, lo, hi)
    assert d.text == text  # kept as typed, trimmed


@pytest.mark.parametrize("text", [
    "", "soon", "05/03/2018", "3/5/18", "2018-13", "2018-02-30", "31 February 2018",
    "Marchember 2018", "2019–2017", "between 2019 and 2017", "2018-03-05 or so",
    "about 2018", "18", "the 1990s", "x" * 80,
])
def test_an_unreadable_date_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(UserError) as err:
        parse_date(text)
    hint = err.value.hint or ""
    assert "2018-03-05" in hint and "March 2018" in hint and "before" in hint
    assert "2018年3月5日" in hint


def test_a_day_month_order_is_never_guessed() -> None:
    with pytest.raises(UserError) as err:
        parse_date("05/03/2018")
    assert "ambiguous" in err.value.message


def test_suggest_dates_in_a_quote_most_specific_first() -> None:
    quote = ("In March 2018 the authorities began the campaign; on 5 March 2018 he was "
             "taken from his home, and by 2019 the camp held thousands. 2018年6月 他被转移。")
    found = [(d.text, d.kind, d.date_from, d.date_to) for d in suggest_dates(quote)]
    assert found[0] == ("5 March 2018", "exact", "2018-03-05", "2018-03-05")
    assert ("March 2018", "month", "2018-03-01", "2018-03-31") in found
    assert ("2018年6月", "month", "2018-06-01", "2018-06-30") in found
    assert ("2019", "year", "2019-01-01", "2019-12-31") in found
    # "March 2018" inside "5 March 2018" is not offered a second time as its own date
    assert [f[0] for f in found].count("March 2018") == 1
    kinds = [f[1] for f in found]
    assert kinds.index("exact") < kinds.index("month") < kinds.index("year")


def test_suggest_dates_ignores_numbers_that_are_not_years() -> None:
    assert suggest_dates("He was one of 1500 detainees, 12,000 in all, case 2018-0345.") == []


def test_suggest_dates_reads_ranges_and_before_after_in_text() -> None:
    found = {(d.kind, d.date_from, d.date_to)
             for d in suggest_dates("Held between 2017 and 2019, released after June 2020.")}
    assert ("range", "2017-01-01", "2019-12-31") in found
    assert ("after", "2020-07-01", None) in found


def test_suggest_dates_is_fast_on_a_2_kb_quote() -> None:
    quote = ("On 5 March 2018 the village head said that in April 2018 more people were "
             "taken; by 2019年3月 the site had grown. ") * 20
    quote = quote[:2048]
    start = time.perf_counter()
    for _ in range(10):
        suggest_dates(quote)
    assert (time.perf_counter() - start) / 10 < 0.05  # measured ~1-2 ms
