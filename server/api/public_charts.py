"""Bar charts of a release's published cells, laid out on the server as SVG geometry.

Only published cells are drawn: a hidden cell ("<5", "x") gets no bar, just its marker, so a
chart never shows more than the table beside it (its text equivalent).
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 320, 160
TOP, BOTTOM, LEFT = 18, 28, 4
# The headline categories get a chart; every category is in the table.
CHARTED = ("principal_meetings", "introductions", "extracurricular_events", "involvement.all")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label_y: float
    value: str
    month: str


def bars(cells: dict, months: list[str], month_labels: dict[str, str]) -> list[Bar]:
    numbers = [value for value in cells.values() if isinstance(value, int)]
    top = max(numbers + [1])
    slot = (WIDTH - LEFT) / max(len(months), 1)
    plot = HEIGHT - TOP - BOTTOM
    result = []
    for index, month in enumerate(months):
        value = cells[month]
        height = plot * value / top if isinstance(value, int) else 0
        y = TOP + plot - height
        result.append(Bar(x=LEFT + index * slot + slot * 0.15, y=y, width=slot * 0.7, height=height,
                          label_y=y - 4, value=str(value), month=month_labels[month]))
    return result


def charted_rows(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["category"] in CHARTED]


@dataclass(frozen=True)
class PercentBar:
    y: float
    width: float
    value: str
    label: str


SHARE_BAR, SHARE_LEFT = 22, 4


def percent_bars(shares: list[tuple[str, int | str]]) -> list[PercentBar]:
    """Horizontal bars on a 0-100 % scale, one per (label, published share); a withheld share
    ("x") gets no bar, only its marker, as in the table beside it."""
    span = WIDTH - SHARE_LEFT * 2
    return [PercentBar(y=12 + index * (SHARE_BAR + 24), width=span * value / 100 if isinstance(value, int) else 0,
                       value=f"{value} %" if isinstance(value, int) else str(value), label=label)
            for index, (label, value) in enumerate(shares)]
