"""Platform metadata, icons and the bundled font: present, valid and consistent."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.stancemark.Stancemark"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _desktop() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_project_files_with_the_icon():
    entry = _desktop()
    assert entry["Exec"].split()[0] == "stancemark" and "%f" in entry["Exec"]
    assert entry["Icon"] == APP_ID
    assert "application/x-stancemark;" in entry["MimeType"]
    assert entry["Terminal"] == "false"


def test_mime_type_globs_the_project_suffix():
    from stancemark import PROJECT_SUFFIX

    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(LINUX / f"{APP_ID}.mime.xml").getroot()
    mime = root.find("m:mime-type", ns)
    assert mime is not None and mime.get("type") == "application/x-stancemark"
    assert mime.find("m:glob", ns).get("pattern") == f"*{PROJECT_SUFFIX}"


def test_metainfo_names_the_desktop_entry_and_current_version():
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.find("provides/mediatype").text == "application/x-stancemark"
    versions = [r.get("version") for r in root.iter("release")]
    assert _project()["version"] in versions, "add a <release> for the pyproject version"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils not installed")
def test_desktop_entry_validates():
    result = subprocess.run(["desktop-file-validate", str(LINUX / f"{APP_ID}.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_validates():
    result = subprocess.run(["appstreamcli", "validate", "--no-net",
                             str(LINUX / f"{APP_ID}.metainfo.xml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_icons_exist_for_every_platform():
    icons = ROOT / "resources" / "icons"
    ET.parse(icons / "stancemark.svg")
    for size in (16, 32, 48, 64, 128, 256, 512):
        data = (icons / f"stancemark-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (icons / "stancemark.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "stancemark.icns").read_bytes()[:4] == b"icns"


def test_spec_takes_name_and_version_from_pyproject_only():
    spec = (ROOT / "packaging" / "stancemark.spec").read_text(encoding="utf-8")
    assert "pyproject.toml" in spec and "tomllib" in spec
    assert _project()["version"] not in spec


def test_bundled_font_and_its_licence_are_present():
    fonts = ROOT / "resources" / "fonts"
    assert (fonts / "DejaVuSans.ttf").stat().st_size > 100_000
    assert "Bitstream" in (fonts / "DejaVuSans-LICENSE.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig only")
def test_without_system_fonts_the_bundled_font_draws_text(tmp_path):
    """An empty fontconfig setup stands for a machine with no fonts at all."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    code = (
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtGui import QFontInfo\n"
        "from stancemark.ui.fonts import ensure_font, system_has_fonts\n"
        "app = QApplication([])\n"
        "assert not system_has_fonts()\n"
        "print(ensure_font(app), '|', QFontInfo(app.font()).family())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FONTCONFIG_FILE=str(conf),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0].strip() == "DejaVu Sans | DejaVu Sans"


def test_with_system_fonts_the_system_font_is_kept(qapp):
    from stancemark.ui.fonts import ensure_font, system_has_fonts

    if not system_has_fonts():
        pytest.skip("this machine has no fonts")
    assert ensure_font(qapp) is None
