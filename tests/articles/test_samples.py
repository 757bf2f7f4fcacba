"""The bundled demo articles import cleanly: they seed the demo project and the self-test."""

from datetime import datetime
from pathlib import Path

import pytest

from stancemark.articles import iter_input_files, read_file

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

EXPECTED = {
    "01-grain-port-blockade.txt": (
        "Dockers blockade Port Keller as Valmora and Ostria trade blame",
        datetime(2023, 3, 9, 14, 20),
    ),
    "02-coalition-budget-vote.txt": (
        "Coalition survives budget vote after last-minute deal with farmers' party",
        None,
    ),
    "03-border-talks-stall.txt": (
        "Border talks stall as Marenia accuses neighbour of building fortifications",
        datetime(2023, 3, 4, 8, 30),
    ),
    "04-jarinje-arrests-crlf.txt": (
        "Belgrade and Pristina trade accusations over arrests at Jarinje crossing",
        datetime(2023, 5, 23),
    ),
    "05-election-social-media.txt": (
        "Opposition candidate accuses ruling party of fake accounts as campaign turns online",
        datetime(2023, 10, 16, 19, 5),
    ),
}


def test_every_sample_is_listed():
    found = [p.name for p in iter_input_files([SAMPLES]) if p.suffix == ".txt"]
    assert found == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_imports_cleanly(name):
    title, published = EXPECTED[name]
    draft = read_file(SAMPLES / name)
    assert draft.title == title
    assert draft.published == published
    assert draft.text.startswith(title + "\n\n")
    assert draft.text.count(title) == 1
    assert "\r" not in draft.text and "\n\n\n" not in draft.text
    words = len(draft.text.split())
    assert 300 <= words <= 700
    for junk in ("icon", "Podcasts", "0:00", "none", "Share this", "Follow us", "Published:"):
        assert junk not in draft.text
    assert draft.text.rstrip().endswith((".", '"', "”", ")"))


def test_sample_shapes():
    crlf = read_file(SAMPLES / "04-jarinje-arrests-crlf.txt")
    assert "\r\n" in crlf.raw
    assert "„Ово није полицијска акција, ово је застрашивање.“" in crlf.text
    social = read_file(SAMPLES / "05-election-social-media.txt")
    assert "🤖" in social.text and "🤝" in social.text
    assert social.author == "Ines Albrecht"
    chrome = read_file(SAMPLES / "01-grain-port-blockade.txt")
    assert chrome.subtitle and chrome.subtitle.startswith("Grain shipments have been stranded")
    assert chrome.meta["dropped_lines"]["caption"] == 1
    assert read_file(SAMPLES / "02-coalition-budget-vote.txt").subtitle is None
