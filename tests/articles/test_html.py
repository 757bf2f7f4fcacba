"""Saved web pages: main text and metadata, offline, scripts never in the text."""

import socket
from datetime import datetime

import pytest

from stancemark.articles import read_bytes, read_file


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the HTML reader tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_page_with_scripts_frames_and_remote_images(fixture_path, no_network):
    draft = read_file(fixture_path("page_with_scripts.html"))
    assert draft.fmt == "html"
    assert draft.title == "Mayor accuses utility of hiding water test results"
    assert draft.text.startswith(draft.title + "\n\nThe mayor of Riverside, Clara Novak")
    assert draft.text.count(draft.title) == 1
    assert draft.author == "Jonas Meyer"
    assert draft.published == datetime(2023, 4, 18, 7, 45)
    assert draft.source == "Riverside Courier"
    assert draft.url == "https://courier.example.org/news/water-tests"
    assert draft.language == "en"
    paras = draft.text.split("\n\n")
    assert len(paras) == 5
    assert paras[-1].startswith("The Environmental Watch Network, an independent NGO")
    for leaked in (
        "must-not-appear",
        "injected-by-script",
        "onload-handler",
        "img-handler",
        "SECRET_TRACKER",
        "console.log",
        "display: none",
    ):
        assert leaked not in draft.text
    assert "<" not in draft.text
    assert "script-text-must-not-appear" in draft.raw  # raw is the file as it was


def test_minimal_page(fixture_path):
    draft = read_file(fixture_path("page_minimal.html"))
    assert draft.title == "Short notice"
    assert draft.text == "Short notice\n\nCouncil meeting moved to Thursday."


def test_fallback_when_trafilatura_finds_nothing(fixture_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    draft = read_file(fixture_path("page_with_scripts.html"))
    assert draft.meta["extractor"] == "fallback"
    assert draft.title == "Mayor accuses utility of hiding water test results"
    assert draft.text.startswith(draft.title + "\n\n")
    assert "The utility denied hiding anything." in draft.text
    assert "must-not-appear" not in draft.text and "injected-by-script" not in draft.text
    assert "Home" not in draft.text  # the <nav> is not article text
    assert draft.published == datetime(2023, 4, 18, 7, 45)


def test_format_guessed_from_content_and_declared_charset():
    page = (
        '<!DOCTYPE html><html><head><meta charset="windows-1251"><title>Заголовок новости</title>'
        "</head><body><article><h1>Заголовок новости</h1><p>Министр заявил, что переговоры "
        "продолжатся на следующей неделе, а оппозиция назвала это заявление пустым.</p>"
        "</article></body></html>"
    ).encode("cp1251")
    draft = read_bytes(page, name="download")
    assert draft.fmt == "html"
    assert draft.encoding == "cp1251"
    assert draft.title == "Заголовок новости"
    assert "Министр заявил" in draft.text


def test_explicit_fmt_text_keeps_markup_as_text():
    draft = read_bytes(b"<p>Tags in a text file</p>\n\nSecond paragraph here.", fmt="text")
    assert draft.fmt == "text"
    assert draft.text.startswith("<p>Tags in a text file</p>")


def test_importing_the_package_does_not_import_trafilatura_or_qt():
    import subprocess
    import sys

    code = (
        "import sys, stancemark.articles; "
        "assert 'trafilatura' not in sys.modules; "
        "assert not any(m.startswith('PySide6') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())


def _env():
    import os
    from pathlib import Path

    import stancemark

    env = dict(os.environ)
    root = str(Path(stancemark.__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env
