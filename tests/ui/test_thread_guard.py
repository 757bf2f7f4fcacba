"""The guard against work left running after a UI test catches each kind it claims to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_guard_fails_tests_that_leave_work_running(tmp_path: Path) -> None:
    cases = Path(__file__).with_name("guard_cases.py")
    root = Path(__file__).parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", str(cases), "-q", "-p", "no:cacheprovider",
         "--basetemp", str(tmp_path / "t")],
        cwd=root, env=env, capture_output=True, text=True, timeout=120)
    text = out.stdout + out.stderr
    assert "QTimer every 1000 ms" in text
    assert "task(s) in" in text
    assert "QThread" in text
    # each leaking test errors in its teardown; the one that stops its timer is clean
    summary = text.split("short test summary")[-1]
    assert "3 errors" in summary, text[-2000:]
    assert "test_stops_what_it_starts" not in summary
