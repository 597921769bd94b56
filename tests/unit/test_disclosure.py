"""No suppressed cell of any release can be worked out by linear equations over everything
published: each school cell, each program-wide cell (a sum over schools) and every release of
overlapping periods (months, their quarter, the year, corrections) over the same counts."""

from fractions import Fraction

from hypothesis import given, settings, strategies as st

from server.services.reporting.disclosure import HIDDEN, protect, protect_column

MONTHS = ["2026-09", "2026-10", "2026-11"]
CATEGORIES = ["principal_meetings", "introductions"]
counts = st.integers(min_value=0, max_value=12)


def schools_of(values: dict, months: list[str]) -> list[dict]:
    """values[(school, category, month)] -> reports.public_counts' shape, for some months."""
    names = sorted({school for school, *_ in values})
    return [{"school": {"code": name, "name": name},
             "rows": [{"category": c, "label": c, "months": {m: values[(name, c, m)] for m in months}}
                      for c in CATEGORIES]} for name in names]


def equations(values: dict, releases: list[list[str]]) -> tuple[list[dict], set]:
    """Every published figure as an equation over the unknown cells: {cell: coefficient, "=": value}."""
    system, hidden = [], set()
    for months in releases:
        schools, program = protect(schools_of(values, months), months)
        for entry in schools:
            for row in entry["rows"]:
                for month, shown in row["months"].items():
                    cell = (entry["school"]["code"], row["category"], month)
                    if shown in HIDDEN:
                        hidden.add(cell)
                    else:
                        system.append({cell: Fraction(1), "=": Fraction(shown)})
        for index, row in enumerate(program):
            for month, shown in row["months"].items():
                if shown not in HIDDEN:
                    parts = {(entry["school"]["code"], row["category"], month): Fraction(1) for entry in schools}
                    system.append({**parts, "=": Fraction(shown)})
    return system, hidden


def determined(system: list[dict], cells: list) -> set:
    """Cells whose value the system fixes: Gaussian elimination to reduced row echelon form over
    the rationals; a cell is determined when some row has it as its only unknown."""
    rows = [[equation.get(cell, Fraction(0)) for cell in cells] + [equation["="]] for equation in system]
    pivot_row = 0
    for column in range(len(cells)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][column]
        rows[pivot_row] = [value / lead for value in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row])]
        pivot_row += 1
    return {cells[row.index(Fraction(1))] for row in rows[:pivot_row]
            if sum(1 for value in row[:-1] if value != 0) == 1}


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=4).flatmap(
    lambda n: st.fixed_dictionaries({(f"S{s}", c, m): counts for s in range(n) for c in CATEGORIES for m in MONTHS})))
def test_no_suppressed_cell_is_determined_by_every_release_together(values):
    releases = [[month] for month in MONTHS] + [MONTHS, MONTHS[:2], MONTHS]  # months, quarter, part, correction
    system, hidden = equations(values, releases)
    cells = sorted({cell for equation in system for cell in equation if cell != "="} | hidden)
    assert not determined(system, cells) & hidden


def test_the_solver_finds_a_cell_a_total_would_give_away():
    """The check is not vacuous: a published total beside one hidden cell reveals it."""
    system = [{("A",): Fraction(1), "=": Fraction(7)}, {("A",): Fraction(1), ("B",): Fraction(1), "=": Fraction(10)}]
    assert determined(system, [("A",), ("B",)]) == {("A",), ("B",)}


def test_one_hidden_school_hides_the_program_wide_cell():
    assert protect_column([3, 9]) == (["<5", 9], "x")
    assert protect_column([0, 9]) == ([0, 9], 9)
    assert protect_column([0, 2]) == ([0, "<5"], "<5")
