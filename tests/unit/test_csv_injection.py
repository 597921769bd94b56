"""CSV injection (OWASP): no exported cell may start like a formula, whatever text it holds.

Every CSV export goes through one writer (server/services/reports.csv_text); these properties
feed each export text beginning with every kind of character, the dangerous ones included.
"""

import csv
import io
from datetime import datetime
from types import SimpleNamespace

from hypothesis import given, settings, strategies as st

from server.services.admin.service import audit_events_csv
from server.services.reporting.reports import monthly_csv, public_csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MONTHS = ["2026-07", "2026-08"]

# Any first character (the dangerous ones drawn often), then any text.
cell_text = st.builds(lambda first, rest: first + rest,
                      st.one_of(st.sampled_from(FORMULA_STARTS), st.characters(exclude_characters="\x00")),
                      st.text(st.characters(exclude_characters="\x00"), max_size=20))


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_defused(text: str) -> None:
    for row in rows(text):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), repr(cell)


def kept(cell: str, original: str) -> bool:
    """The text is all there: as it was, or after the one apostrophe that defuses it."""
    return cell in (original, "'" + original)


@settings(max_examples=200)
@given(cell_text, cell_text, cell_text)
def test_monthly_csv_cells_never_start_a_formula(category, label, measure):
    report = {"months": MONTHS, "rows": [
        {"category": category, "label": label, "measure": measure, "months": {m: 3 for m in MONTHS}, "total": 6}]}
    text = monthly_csv(report)
    assert_defused(text)
    assert all(kept(cell, value) for cell, value in zip(rows(text)[1], (category, label, measure)))


@settings(max_examples=200)
@given(cell_text, cell_text, cell_text)
def test_public_csv_cells_never_start_a_formula(school_name, category, label):
    report = {"months": MONTHS, "schools": [{"school": {"id": 1, "code": "NHS", "name": school_name},
                                             "rows": [{"category": category, "label": label,
                                                       "months": {m: "<5" for m in MONTHS}}]}]}
    text = public_csv(report)
    assert_defused(text)
    assert all(kept(cell, value) for cell, value in zip(rows(text)[1][1:], (school_name, category, label)))


@settings(max_examples=200)
@given(cell_text, cell_text, cell_text)
def test_audit_csv_cells_never_start_a_formula(email, target, address):
    event = SimpleNamespace(id=1, at=datetime(2026, 9, 1, 12, 0), actor_id=None, actor_email=email,
                            action="auth.login", target=target, outcome="failure", ip=address,
                            details={"reason": "unknown_email"})
    text = audit_events_csv([event])
    assert_defused(text)
    row = rows(text)[1]
    assert kept(row[3], email) and kept(row[5], target) and kept(row[7], address)
