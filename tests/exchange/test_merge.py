"""Merging sets: two analysts' work side by side, conflicts reported, bad files refused whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stancemark.core.errors import ValidationError
from stancemark.core.filters import ExportFilter
from stancemark.services.exchange import export_project, merge_set
from stancemark.store import memory_project, open_project
from stancemark.store.project import copy_project


def _copy_of(store, tmp_path: Path, name: str):
    path = tmp_path / f"{name}.jsonl"
    export_project(store, "jsonl", path)
    other = memory_project()
    merge_set(other, path)
    return other


def test_two_analysts_merge_with_conflicts_named(hostile_project, tmp_path: Path) -> None:
    s = hostile_project
    # analyst 1 (alice) revises her own work in her copy
    alice = _copy_of(s, tmp_path, "base")
    cyr = alice.articles.ids()[1]
    kurti_claim = next(c for c in alice.annotations.claims(cyr, "alice")
                       if c.text.startswith("Вучић"))
    alice.annotations.update_claim(kurti_claim.id, stance=1)
    emoji = alice.articles.ids()[0]
    alice.annotations.set_sentiment(emoji, None, "alice", 2)
    newcomer = alice.actors.add("Critics", "group")
    text = alice.articles.get(emoji).text
    start = text.index("Critics")
    alice.annotations.add_mention(emoji, start, start + 7, newcomer, "alice")
    alice_set = tmp_path / "alice.jsonl"
    export_project(alice, "jsonl", alice_set, ExportFilter(annotators=("alice",)))
    # analyst 2 (carol) annotates the same articles in her copy
    carol = _copy_of(s, tmp_path, "base2")
    vucic = carol.actors.by_name("Vucic")  # matched by alias
    ctext = carol.articles.get(cyr).text
    at = ctext.index("Вучић")
    carol.annotations.add_mention(cyr, at, at + 5, vucic.id, "carol")
    carol.annotations.add_claim(cyr, at, len(ctext.split("\n")[0]), "carol",
                                claimant_id=vucic.id, category="diplomacy", stance=-1)
    carol.annotations.set_sentiment(cyr, None, "carol", -2)
    carol_set = tmp_path / "carol.jsonl"
    export_project(carol, "jsonl", carol_set, ExportFilter(annotators=("carol",)))

    before = s.counts()
    r_carol = merge_set(s, carol_set)
    assert r_carol.conflicts == [] and r_carol.mentions_added == 1
    assert r_carol.claims_added == 1 and r_carol.sentiments_added == 1
    assert r_carol.articles_matched == 1 and r_carol.articles_added == 0
    r_alice = merge_set(s, alice_set)
    assert r_alice.mentions_added == 1 and r_alice.actors_added == 1
    assert r_alice.claims_added == 0 and r_alice.sentiments_added == 0
    assert len(r_alice.conflicts) == 2
    joined = "\n".join(r_alice.conflicts)
    assert "annotator alice" in joined and "claim" in joined
    assert "stance -1 in the project, 1 in the set" in joined
    assert "article sentiment +0 in the project, +2 in the set" in joined
    assert "Вучић “lives in the past”" in joined
    # the project's values were kept, both annotators' work is there, apart
    assert s.annotations.sentiment(1, None, "alice") == 0
    assert s.annotations.claims(cyr, "alice")[1].stance == -1
    assert len(s.annotations.claims(cyr, "carol")) == 1
    assert s.annotators() == ["alice", "bob", "carol"]
    after = s.counts()
    assert after["mentions"] == before["mentions"] + 2
    assert after["actors"] == before["actors"] + 1
    assert "conflict: " in r_alice.text()


def test_backup_is_kept(hostile_project, tmp_path: Path) -> None:
    set_path = tmp_path / "set.jsonl"
    export_project(hostile_project, "jsonl", set_path)
    proj = tmp_path / "p.stancemark"
    with open_project(proj, create=True) as store:
        report = merge_set(store, set_path)
    assert report.backup is not None and report.backup.exists()
    assert report.backup.name.startswith("p.stancemark.before-merge-")
    with open_project(report.backup, read_only=True) as old:
        assert old.counts()["articles"] == 0


def _lines(hostile_project, tmp_path: Path) -> list[dict]:
    path = tmp_path / "good.jsonl"
    export_project(hostile_project, "jsonl", path)
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _write(tmp_path: Path, recs: list, raw_tail: str = "") -> Path:
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs) + raw_tail,
                    encoding="utf-8")
    return path


def _mutate_last(recs: list[dict], fn) -> list[dict]:
    fn(recs[-1])
    return recs


CASES = {
    "bad JSON": (lambda r: r, '{"stancemark": 1, "kind": "arti', "not valid JSON"),
    "wrong shape": (lambda r: r[-1].update(mentions={"m1": 1}), "", '"mentions" must be a list'),
    "offsets past the end": (lambda r: r[-1]["mentions"][0].update(start=500, end=504), "",
                             "outside the article text"),
    "span text": (lambda r: r[-1]["claims"][0].update(text="NATO said"), "",
                  "does not match the article text"),
    "unknown actor": (lambda r: r[-1]["claims"][0].update(claimant="a9"), "",
                      "unknown actor id 'a9'"),
    "uid": (lambda r: r[-1]["article"].update(text=r[-1]["article"]["text"][:-1]), "",
            "not the SHA-256"),
    "stance off scale": (lambda r: r[-1]["claims"][0].update(stance=7), "", "not on the scale"),
    "unknown kind": (lambda r: r[-1].update(kind="song"), "", '"kind" must be'),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_set_refused_with_line_and_nothing_merged(case, hostile_project,
                                                           tmp_path: Path) -> None:
    recs = _lines(hostile_project, tmp_path)
    change, tail, message = CASES[case]
    change(recs)
    path = _write(tmp_path, recs, tail)
    target = memory_project()
    before = target.counts()
    with pytest.raises(ValidationError) as exc:
        merge_set(target, path)
    line = len(recs) + 1 if tail else len(recs)
    assert f"bad.jsonl, line {line}: " in str(exc.value)
    assert message in str(exc.value)
    assert target.counts() == before  # the four good lines before were not merged either


def test_truncated_file_refused(hostile_project, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    export_project(hostile_project, "jsonl", good)
    data = good.read_bytes()
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(data[: len(data) - 25])
    target = memory_project()
    with pytest.raises(ValidationError, match=r"cut.jsonl, line 6: not valid JSON"):
        merge_set(target, cut)
    assert target.counts()["articles"] == 0
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ValidationError, match="empty"):
        merge_set(target, empty)


def test_file_project_untouched_on_refusal(hostile_project, tmp_path: Path) -> None:
    proj = tmp_path / "p.stancemark"
    copy_project(hostile_project, proj)
    recs = _lines(hostile_project, tmp_path)
    recs[3]["mentions"][0]["actor"] = "zz"
    path = _write(tmp_path, recs)
    with open_project(proj) as store:
        before = store.counts()
        with pytest.raises(ValidationError, match="line 4"):
            merge_set(store, path)
        assert store.counts() == before
    assert not list(tmp_path.glob("*.before-merge-*"))  # refused before the copy
