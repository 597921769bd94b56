"""The set-up screen draws the QR code from one SVG path: the path must paint exactly the
dark modules of the symbol (otherwise a phone scans nothing, or the wrong secret)."""

import re

import segno
from hypothesis import given, settings, strategies as st

from server.services.identity.second_factor import qr_path

RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z")


def painted(path: str, size: int) -> list[list[int]]:
    grid = [[0] * size for _ in range(size)]
    assert RUN.sub("", path) == ""  # nothing but unit-high runs
    for x, y, width, back in (map(int, run) for run in RUN.findall(path)):
        assert width == back
        for column in range(x, x + width):
            assert grid[y][column] == 0  # no module painted twice
            grid[y][column] = 1
    return grid


@settings(max_examples=25)
@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=16, max_size=64))
def test_the_path_paints_exactly_the_dark_modules(secret):
    uri = f"otpauth://totp/SRO%20Field%20Log:someone%40pd.example?secret={secret}&issuer=SRO%20Field%20Log"
    drawn = qr_path(uri)
    expected = [[1 if module else 0 for module in row] for row in segno.make(uri, error="m").matrix]
    assert drawn["size"] == len(expected)
    assert painted(drawn["path"], drawn["size"]) == expected
