"""``stancemark --self-test`` from the checkout, and the messages it gives on failure."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from stancemark import selftest
from stancemark.selftest import describe_import_error


def _env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    return env


def test_self_test_from_checkout_passes_every_step(tmp_path):
    result = subprocess.run([sys.executable, "-m", "stancemark", "--self-test"],
                            env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    steps = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(steps) == len(selftest.STEPS)
    assert all(line.startswith("[ok] ") for line in steps), result.stdout
    assert "self-test passed" in result.stdout


def test_a_failing_step_stops_the_run_and_names_it(monkeypatch, capsys):
    def broken(ctx):
        raise RuntimeError("the disk is on fire")

    steps = list(selftest.STEPS)
    steps[2] = (steps[2][0], broken)
    monkeypatch.setattr(selftest, "STEPS", steps)
    assert selftest.run_self_test() == 1
    out = capsys.readouterr().out
    assert f"[FAIL] {steps[2][0]}" in out and "the disk is on fire" in out
    assert f"[ok] {steps[1][0]}" in out and steps[3][0] not in out


@pytest.mark.parametrize(("error", "library", "package"), [
    ("libEGL.so.1: cannot open shared object file: No such file or directory",
     "libEGL.so.1", "libegl1"),
    ("libxkbcommon.so.0: cannot open shared object file: No such file or directory",
     "libxkbcommon.so.0", "libxkbcommon0"),
    ("libfontconfig.so.1: cannot open shared object file: No such file or directory",
     "libfontconfig.so.1", "libfontconfig1"),
    ("libglib-2.0.so.0: cannot open shared object file: No such file or directory",
     "libglib-2.0.so.0", "libglib2.0-0"),
    ("libdbus-1.so.3: cannot open shared object file: No such file or directory",
     "libdbus-1.so.3", "libdbus-1-3"),
    ("libGL.so.1: cannot open shared object file: No such file or directory",
     "libGL.so.1", "libgl1"),
    ("/lib/x86_64-linux-gnu/libEGL.so.1: file too short", "libEGL.so.1", "libegl1"),
])
def test_a_missing_qt_library_is_named_with_its_package(error, library, package):
    message = describe_import_error(ImportError(error))
    assert library in message and f"apt-get install {package}" in message


def test_other_import_errors_are_reported_as_they_are():
    message = describe_import_error(ImportError("No module named 'stancemark.nothing'"))
    assert "stancemark.nothing" in message and "system library" not in message


def test_a_missing_library_during_the_window_step_is_named(monkeypatch, capsys):
    def no_egl(ctx):
        raise ImportError("libEGL.so.1: cannot open shared object file: No such file or "
                          "directory")

    steps = [s if s[1] is not selftest.step_window else (s[0], no_egl)
             for s in selftest.STEPS]
    monkeypatch.setattr(selftest, "STEPS", steps)
    assert selftest.run_self_test() == 1
    out = capsys.readouterr().out
    assert "[FAIL] open the window" in out and "libEGL.so.1 is missing" in out
