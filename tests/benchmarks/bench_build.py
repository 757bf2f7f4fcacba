"""Standalone build: one-file and one-folder size, build time, start time to window shown.

Builds both kinds with ``packaging/build.py`` into a temporary folder, then starts
each one with ``STANCEMARK_STARTUP_PROBE=1`` (the window prints ``shown …`` when first
shown, then quits); the time counted is from the spawn to reading that line, so a
one-file build's unpacking is included. The first start creates the demo project
and is reported apart; the start time is the median of the warm starts after it.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUDGET_MB = 60.0
TARGET_START = {"one-file": 1.5, "one-folder": 0.6}
RUNS = 5


def _build_module():
    spec = importlib.util.spec_from_file_location("stancemark_build",
                                                  ROOT / "packaging" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _executable(artifact: Path, onefile: bool) -> Path:
    if sys.platform == "darwin":
        return artifact / "Contents" / "MacOS" / "stancemark"
    if onefile:
        return artifact
    return artifact / ("stancemark.exe" if sys.platform == "win32" else "stancemark")


def start_time(exe: Path, home: Path) -> float:
    """Seconds from spawn until the window reports itself shown (read from its stdout)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), STANCEMARK_STARTUP_PROBE="1")
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        proc = subprocess.Popen([str(exe)], env=env, stdout=subprocess.PIPE, stderr=errors,
                                text=True)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("shown "):
                    return time.perf_counter() - started
        finally:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        errors.seek(0)
        raise RuntimeError(f"{exe} exited ({proc.returncode}) without reporting its window: "
                           f"{errors.read()[-2000:]}")


def main() -> list[dict]:
    build = _build_module()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="stancemark-bench-build-") as tmp:
        base = Path(tmp)
        for label, onefile in (("one-file", True), ("one-folder", False)):
            artifact, seconds = build.build(onefile, base / label, base / "work" / label,
                                            quiet=True)
            size = build.size_of(artifact) / 1e6
            row = {"benchmark": "build", "metric": f"{label} size", "value": size,
                   "unit": "MB"}
            if onefile:
                row.update(target=f"≤ {BUDGET_MB:.0f}", ok=size <= BUDGET_MB)
            rows.append(row)
            rows.append({"benchmark": "build", "metric": f"{label} build time",
                         "value": seconds, "unit": "s"})
            exe = _executable(artifact, onefile)
            home = base / f"home-{label}"
            first = start_time(exe, home)
            warm = statistics.median(start_time(exe, home) for _ in range(RUNS))
            rows.append({"benchmark": "build", "metric": f"{label} first start (makes demo)",
                         "value": first, "unit": "s"})
            target = TARGET_START[label]
            rows.append({"benchmark": "build", "metric": f"{label} start to window shown",
                         "value": warm, "unit": "s", "target": f"≤ {target}",
                         "ok": warm <= target})
    return rows


if __name__ == "__main__":
    for r in main():
        print(r)
