"""``stancemark export`` / ``merge`` on the command line: filters, refusals, summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.store import open_project
from stancemark.store.project import copy_project


@pytest.fixture
def project_file(hostile_project, tmp_path: Path) -> Path:
    path = tmp_path / "hostile.stancemark"
    copy_project(hostile_project, path)
    return path


def test_export_jsonl_with_filters(project_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "bob.jsonl"
    rc = main(["export", str(project_file), "--format", "jsonl", "--output", str(out),
               "--annotator", "bob", "--kinds", "mentions"])
    assert rc == 0
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert {r["annotator"] for r in recs} == {"bob"}
    assert all(r["claims"] == [] for r in recs) and sum(len(r["mentions"]) for r in recs) == 3
    err = capsys.readouterr().err
    assert "2 article(s), 3 mention(s), 0 claim(s), 0 sentiment(s)" in err


def test_existing_output_refused_without_force(project_file: Path, tmp_path: Path,
                                                capsys) -> None:
    out = tmp_path / "x.jsonl"
    out.write_text("keep me")
    rc = main(["export", str(project_file), "-f", "jsonl", "-o", str(out)])
    assert rc == 1 and out.read_text() == "keep me"
    assert "already exists" in capsys.readouterr().err
    # --force replaces only an earlier export, never a file Stancemark did not write
    assert main(["export", str(project_file), "-f", "jsonl", "-o", str(out), "--force"]) == 1
    assert out.read_text() == "keep me"
    assert "not a Stancemark export" in capsys.readouterr().err
    out.write_text('{"stancemark": 1, "kind": "codebook"}\n')
    assert main(["export", str(project_file), "-f", "jsonl", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").count("\n") > 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.stancemark", "x.jsonl"]


def test_export_ids_status_and_folder(project_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    assert main(["export", str(project_file), "-f", "brat", "-o", str(out), "--ids", "2,3"]) == 0
    assert sorted(p.name for p in out.glob("*/*.txt")) == ["article-2.txt", "article-3.txt"]
    out2 = tmp_path / "done.jsonl"
    assert main(["export", str(project_file), "-f", "jsonl", "-o", str(out2),
                 "--status", "done"]) == 0
    assert len(out2.read_text(encoding="utf-8").splitlines()) == 3  # codebook + alice + bob


def test_merge_command(project_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "set.jsonl"
    assert main(["export", str(project_file), "-f", "jsonl", "-o", str(out)]) == 0
    target = tmp_path / "empty.stancemark"
    open_project(target, create=True).close()
    assert main(["merge", str(target), str(out)]) == 0
    err = capsys.readouterr().err
    assert "4 article(s) added" in err and "0 conflict(s)" in err
    assert list(tmp_path.glob("empty.stancemark.before-merge-*.bak"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(out.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    assert main(["merge", str(target), str(bad)]) == 1
    assert "bad.jsonl, line 6: not valid JSON" in capsys.readouterr().err


def test_bad_kinds_is_a_usage_error(project_file: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", str(project_file), "-f", "jsonl", "-o", str(tmp_path / "a"),
              "--kinds", "claims,bogus"])
    assert exc.value.code == 2


def test_format_options_are_generated_and_checked(project_file: Path, tmp_path: Path,
                                                  capsys) -> None:
    """One description of each option: the CLI's default is the registry's (one-mode)."""

    out = tmp_path / "net.graphml"
    assert main(["export", str(project_file), "-f", "graphml", "-o", str(out)]) == 0
    assert 'graph id="stancemark-one-mode"' in out.read_text(encoding="utf-8")
    rc = main(["export", str(project_file), "-f", "jsonl", "-o", str(tmp_path / "x.jsonl"),
               "--network", "two-mode"])
    assert rc != 0 and not (tmp_path / "x.jsonl").exists()
    err = capsys.readouterr().err
    assert "--network applies to graphml, not to jsonl" in err
    assert main(["export", str(project_file), "-f", "conll", "-o", str(tmp_path / "c.conll"),
                 "--layer", "claims"]) == 0
    assert (tmp_path / "c.documents.jsonl").is_file()
    assert "B-Claim" in (tmp_path / "c.conll").read_text(encoding="utf-8")
