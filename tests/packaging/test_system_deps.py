"""The system libraries of Qt's platform plugins: listed for setup, checked at start."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from stancemark import qt_runtime
from stancemark.cli import EXIT_MISSING_LIBRARY, main

ROOT = Path(__file__).parents[2]


def listed_runtime_packages() -> set[str]:
    script = (ROOT / "packaging" / "system-deps.sh").read_text()
    body = re.search(r'RUNTIME="([^"]*)"', script)
    assert body is not None
    return set(body.group(1).split())


def test_setup_installs_every_library_the_platform_plugins_load() -> None:
    wanted = {qt_runtime.debian_package(lib) for p in ("xcb", "wayland")
              for lib in qt_runtime.plugin_libraries(p)} - {"libgcc-s1", "libstdc++6"}
    # the two that a fresh Debian 12 lacked, and the one Qt's own message names
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"} <= wanted
    assert wanted <= listed_runtime_packages(), wanted - listed_runtime_packages()


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc to build a test plugin")
def test_a_missing_library_is_named_with_its_package(tmp_path: Path) -> None:
    # a stand-in platform plugin linked against a library that is then removed
    qt = tmp_path / "Qt"
    (qt / "plugins" / "platforms").mkdir(parents=True)
    (qt / "lib").mkdir()
    src = tmp_path / "x.c"
    src.write_text("int absent(void) { return 1; }\n")
    lib = tmp_path / "libstancemark-absent.so.7"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(lib), str(src),
                    "-Wl,-soname,libstancemark-absent.so.7"], check=True)
    plugin_src = tmp_path / "p.c"
    plugin_src.write_text("int absent(void); int plugin(void) { return absent(); }\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(qt / "plugins" / "platforms" /
                    "libqxcb.so"), str(plugin_src), str(lib)], check=True)
    lib.unlink()
    assert "libstancemark-absent.so.7" in qt_runtime.needed(
        qt / "plugins" / "platforms" / "libqxcb.so")
    message = qt_runtime.check_platform({"DISPLAY": ":5"}, qt)
    assert message is not None
    assert "libstancemark-absent.so.7 is missing" in message
    assert "apt-get install libstancemark-absent7" in message
    assert qt_runtime.check_platform({"QT_QPA_PLATFORM": "offscreen"}, qt) is None


def test_start_names_the_missing_library_instead_of_aborting(monkeypatch, capsys) -> None:
    monkeypatch.setenv("DISPLAY", ":5")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(qt_runtime, "missing_libraries",
                        lambda names: [n for n in names if "icccm" in n])
    assert main([]) == EXIT_MISSING_LIBRARY
    err = capsys.readouterr().err
    assert "libxcb-icccm.so.4 is missing" in err and "libxcb-icccm4" in err
    assert err.count("\n") == 1


def test_debian_names_from_sonames() -> None:
    assert qt_runtime.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert qt_runtime.debian_package("libX11-xcb.so.1") == "libx11-xcb1"
    assert qt_runtime.debian_package("libglib-2.0.so.0") == "libglib2.0-0"
    assert qt_runtime.debian_package("libxcb-render-util.so.0") == "libxcb-render-util0"
