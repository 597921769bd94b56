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


def test_the_scale_bench_builds_a_tiny_program_and_times_its_three_operations(empty_database_url):
    """bench/scale_bench.py end to end on this engine, at a size that takes seconds."""
    run = subprocess.run([sys.executable, "bench/scale_bench.py", "--officers", "4", "--per-officer", "70",
                          "--runs", "1", "--database-url", empty_database_url],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "4 officers, 2 schools, 1 supervisors, 280 records built" in run.stdout
    for operation in ("compliance, one supervisor's 4 officers", "monthly report, program-wide",
                      "pull, one officer's last day"):
        line = next(line for line in run.stdout.splitlines() if operation in line)
        assert "target" in line and "measured" in line and "floor" in line, line
