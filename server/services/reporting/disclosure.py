"""Disclosure control for published releases (docs/reports.md "Releases"): pure functions.

A release publishes, per category and month, one cell per school and the program-wide cell
(the sum over schools). Two rules:

* primary: a count from 1 to 4 is published as "<5" (0 and 5+ as they are);
* complementary: the program-wide cell is the only published figure that adds cells up, so
  whenever any school cell of its column (category, month) is hidden, the program-wide cell
  is hidden too ("x"). Subtracting the published schools from the total is then impossible,
  and no bounds can be reasoned from it either (a hidden complementary school cell of 5 or 0
  would still let a reader pin the "<5" one down from the total).

No other sums are published: no totals over months, over categories or over a period, and
the categories never overlap. Each decision depends only on one (category, month) column of
one release, so a month's cell is hidden in every release that covers that month with the
same data (a quarter and its months, a correction and its original).
"""

SUPPRESS_BELOW = 5
PRIMARY = "<5"
COMPLEMENTARY = "x"
HIDDEN = (PRIMARY, COMPLEMENTARY)


def primary(value: int) -> int | str:
    """Counts from 1 to 4 are published as "<5"; 0 and 5+ as they are."""
    return PRIMARY if 0 < value < SUPPRESS_BELOW else value


def protect_column(school_values: list[int]) -> tuple[list[int | str], int | str]:
    """One (category, month) column: the published school cells and the published program-wide cell."""
    published = [primary(value) for value in school_values]
    total = primary(sum(school_values))
    if total not in HIDDEN and any(value in HIDDEN for value in published):
        total = COMPLEMENTARY
    return published, total


def protect(schools: list[dict], months: list[str]) -> tuple[list[dict], list[dict]]:
    """True counts per school (reports.public_counts) -> (published schools, published program-wide rows)."""
    published = [{"school": entry["school"], "rows": [{**row, "months": {}} for row in entry["rows"]]}
                 for entry in schools]
    program = [{"category": row["category"], "label": row["label"], "months": {}}
               for row in (schools[0]["rows"] if schools else [])]
    for index, program_row in enumerate(program):
        for month in months:
            cells, total = protect_column([entry["rows"][index]["months"][month] for entry in schools])
            for entry, cell in zip(published, cells):
                entry["rows"][index]["months"][month] = cell
            program_row["months"][month] = total
    return published, program
