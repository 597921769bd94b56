"""The benches are not timed tests, but each must still start: a moved module broke one unseen."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHES = sorted(path.name for path in (ROOT / "bench").glob("*.py") if path.name != "common.py")


@pytest.mark.parametrize("bench", BENCHES)
def test_each_bench_starts_and_explains_itself(bench):
    started = subprocess.run([sys.executable, f"bench/{bench}", "--help"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    assert "usage:" in started.stdout
