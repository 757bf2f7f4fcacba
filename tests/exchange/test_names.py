"""Annotator names in file names: readable in any script, safe everywhere, never merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancemark.core.models import ArticleDraft
from stancemark.exchange.common import safe_name
from stancemark.services.exchange import export_project
from stancemark.store import memory_project


@pytest.mark.parametrize("name", ["Боян Петровић", "alice", "Zoë", "李雷", "Renée"])
def test_readable_names_are_kept(name: str) -> None:
    assert safe_name(name) == name


@pytest.mark.parametrize("name", ["a/b", "a\\b", "con", "x:y", "tab\there", ".hidden", "a*",
                                  "-dash", "e\u0301"])
def test_unsafe_names_are_made_safe_and_marked(name: str) -> None:
    out = safe_name(name)
    assert not set(out) & set('/\\:*?"<>|\t') and not out.startswith((".", "-"))
    assert out != name


def test_distinct_names_stay_distinct() -> None:
    names = ["a/b", "a\\b", "a:b", "a_b", "a*b", "A_B", "con", "CON"]
    assert len({safe_name(n) for n in names}) == len(names)


def _two_cyrillic_annotators():
    s = memory_project()
    text = "Боян Петровић met Ана."
    aid = s.articles.add(ArticleDraft(text=text, title="t"))
    actor = s.actors.add("Боян Петровић", "person")
    for who in ("Боян Петровић", "Боян/Петровић"):
        s.annotations.add_mention(aid, 0, 13, actor, who)
    return s


@pytest.mark.parametrize("fmt", ["brat", "xmi"])
def test_file_names_keep_the_annotator(fmt: str, tmp_path: Path) -> None:
    s = _two_cyrillic_annotators()
    out = tmp_path / fmt
    export_project(s, fmt, out)
    names = {p.name for p in out.rglob("*")}
    assert any("Боян Петровић" == n or n.endswith("-Боян Петровић.xmi") for n in names)
    # the second name had a slash: safe, still readable, and a file of its own
    assert sum("Боян_Петровић" in n for n in names) == 1
    export_project(s, fmt, out, force=True)  # recognised as our own export


def test_lossless_round_trip_keeps_every_annotator_name(tmp_path: Path) -> None:
    from stancemark.services.exchange import merge_set

    s = _two_cyrillic_annotators()
    first = tmp_path / "one.jsonl"
    export_project(s, "jsonl", first)
    fresh = memory_project()
    merge_set(fresh, first)
    second = tmp_path / "two.jsonl"
    export_project(fresh, "jsonl", second)
    assert first.read_bytes() == second.read_bytes()
    text = second.read_text(encoding="utf-8")
    assert '"annotator": "Боян Петровић"' in text and '"annotator": "Боян/Петровић"' in text
