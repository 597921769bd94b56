"""Disclosure control for published releases (docs/reports.md "Releases"): pure functions.

Every published figure is either a base cell (one school, one category, one month) or a sum of
base cells (the program-wide cell: a sum over schools; the involvement table's basis, action and
grand totals). Two rules:

* primary: a base cell from 1 to 4 is published as "<5" (0 and 5+ as they are);
* complementary: a sum is published only when every cell it adds up is published; otherwise it is
  withheld ("x"), whatever its value. Subtracting published parts from a total is then never
  possible, and no bounds can be reasoned from it either: a total shown as "<5" beside four "<5"
  parts would pin each of them to 1, and a hidden part of 0 or 5 beside a "<5" would let the
  total pin the "<5" down.

So no published figure involves a hidden cell at all. Each decision depends only on one month's
counts, never on the period, so a month's cell is hidden in every release that covers that month
with the same data (a quarter and its months, a correction and its original). Training compliance
is published once per ended school year, as rounded shares of officers (`training_of_release`).
"""

SUPPRESS_BELOW = 5
PRIMARY = "<5"
COMPLEMENTARY = "x"
HIDDEN = (PRIMARY, COMPLEMENTARY)


def primary(value: int) -> int | str:
    """Counts from 1 to 4 are published as "<5"; 0 and 5+ as they are."""
    return PRIMARY if 0 < value < SUPPRESS_BELOW else value


def published_sum(parts: list[int | str], true_sum: int) -> int | str:
    """A sum of published parts: the true sum when every part is published (it is then 0 or 5+),
    else withheld."""
    return COMPLEMENTARY if any(part in HIDDEN for part in parts) else true_sum


def protect_column(school_values: list[int]) -> tuple[list[int | str], int | str]:
    """One (category, month) column: the published school cells and the published program-wide cell."""
    published = [primary(value) for value in school_values]
    return published, published_sum(published, sum(school_values))


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


# --- involvements: basis x action, with every total ----------------------------------------------

def table_rows(bases: tuple[str, ...], actions: tuple[str, ...]) -> list[tuple[str | None, str | None]]:
    """The rows of an involvement table, in order: per basis its total (action None) then each
    action; then each action's total over bases (basis None); then the grand total (None, None)."""
    rows: list[tuple[str | None, str | None]] = []
    for basis in bases:
        rows += [(basis, None)] + [(basis, action) for action in actions]
    return rows + [(None, action) for action in actions] + [(None, None)]


def _parts(key: tuple[str | None, str | None], bases, actions) -> list[tuple[str, str]]:
    """The base cells a row adds up (a base row adds up itself)."""
    basis, action = key
    return [(b, a) for b in ([basis] if basis else bases) for a in ([action] if action else actions)]


def protect_table(cells: dict, bases: tuple[str, ...], actions: tuple[str, ...]) -> dict:
    """One area's (school's) month: true base cells {(basis, action): count} -> every row of
    table_rows published. Totals are sums of base cells, published only when all of them are."""
    shown = {key: primary(cells.get(key, 0)) for key in _parts((None, None), bases, actions)}
    result = {}
    for key in table_rows(bases, actions):
        parts = _parts(key, bases, actions)
        result[key] = (shown[key] if key[0] and key[1] else
                       published_sum([shown[part] for part in parts], sum(cells.get(part, 0) for part in parts)))
    return result


def protect_program_table(schools: list[tuple[dict, dict]], bases, actions) -> dict:
    """The program-wide table of a month: each row is the sum over schools of their same row, so it
    is published only when every school's row is; schools: [(true cells, published rows)]."""
    result = {}
    for key in table_rows(bases, actions):
        parts = _parts(key, bases, actions)
        published = [rows[key] for _, rows in schools]
        result[key] = published_sum(published, sum(cells.get(part, 0) for cells, _ in schools for part in parts))
    return result


# --- training: rounded shares of officers, once per school year -------------------------------

OFFICERS_ROUNDED_TO = 5
PERCENT_ROUNDED_TO = 10


def rounded(value: float, step: int) -> int:
    """To the nearest multiple of `step`, halves up (so 12.5 -> 15 whatever the float rounding mode)."""
    return int((value + step / 2) // step) * step


def officer_share(met: int, officers: int) -> int | str:
    """The percentage of officers meeting a rule, to the nearest PERCENT_ROUNDED_TO, or withheld.
    A share of a small group tells a reader about the few officers in it, so it is published only
    when the officers it counts and the officers it leaves out are each none or at least
    SUPPRESS_BELOW (the "<5" rule applied to both sides); 0 officers publishes nothing to share."""
    if officers == 0 or primary(met) == PRIMARY or primary(officers - met) == PRIMARY:
        return COMPLEMENTARY
    return rounded(100 * met / officers, PERCENT_ROUNDED_TO)


def training_figures(officers: int, met: dict[str, int]) -> dict:
    """One school year's training, as published: the officers measured to the nearest
    OFFICERS_ROUNDED_TO ("<5" below 5) and each rule's share (officer_share); `met`: rule -> how
    many officers meet it. Rounding keeps a reader from turning a share back into a count."""
    return {"officers": PRIMARY if officers < SUPPRESS_BELOW else rounded(officers, OFFICERS_ROUNDED_TO),
            **{rule: officer_share(count, officers) for rule, count in met.items()},
            "rounding": {"officers": OFFICERS_ROUNDED_TO, "percent": PERCENT_ROUNDED_TO}}


def training_of_release(ended_school_year: bool, first_published: dict | None, measure) -> dict | None:
    """The training figures a release publishes. Any figure over a group of officers, rounded or
    not, can be differenced against the same figure over the group with one more officer (at a
    rounding edge, the figure moves exactly when that officer meets the rule). So training is
    published once per school year: only by a release of a whole school year that has ended, and
    every later release of that school year (a correction too) repeats `first_published`, the
    figures of the first; `measure()` (training_figures and when they were measured) is called
    only when there is none."""
    if not ended_school_year:
        return None
    return first_published if first_published is not None else measure()
