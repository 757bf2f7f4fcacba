"""The command line, as an analyst would use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stancemark.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "scraped-article.txt"


def write_article(folder: Path, name: str, title: str, body: str) -> Path:
    p = folder / name
    p.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return p


def test_import_then_list_shows_title_and_date(tmp_path: Path, capsys) -> None:
    if not SAMPLE.exists():
        pytest.skip("shared sample not present")
    project = tmp_path / "demo.stancemark"
    assert main(["import", str(project), str(SAMPLE)]) == 0
    capsys.readouterr()
    assert main(["articles", str(project)]) == 0
    out = capsys.readouterr().out
    row = [line for line in out.splitlines() if "NATO reinforces presence in Kosovo" in line]
    assert row and "2022-12-17 11:41" in row[0]
    from stancemark.store import open_project

    with open_project(project, read_only=True) as s:
        text = s.articles.get(1).text
    assert text.startswith("NATO reinforces presence in Kosovo\n")
    assert "bookmarkicon" not in text and "Podcasts" not in text and "28:21" not in text
    assert "KFOR has been operating in Kosovo since 1999" in text
    assert text.count("NATO reinforces presence in Kosovo") == 1  # caption repeat dropped


def test_batch_reports_each_file_and_continues(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    write_article(folder, "a.txt", "First headline here", "Body of the first one. " * 20)
    write_article(folder / "sub", "b.txt", "Second headline here", "Another body. " * 20)
    write_article(folder, "dup.txt", "First headline here", "Body of the first one. " * 20)
    (folder / "empty.txt").write_text("  \n\n")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    project = tmp_path / "p.stancemark"
    code = main(["import", str(project), str(folder), str(tmp_path / "missing.txt")])
    err = capsys.readouterr().err
    assert code == 0
    assert "2 imported" in err and "1 duplicate" in err and "1 empty" in err
    assert "1 binary" in err and "1 unreadable" in err
    assert "missing.txt" in err


def test_nothing_importable_exits_non_zero(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty.txt").write_text("")
    code = main(["import", str(tmp_path / "p.stancemark"), str(tmp_path / "empty.txt")])
    assert code == 1
    assert "1 empty" in capsys.readouterr().err


def test_search_and_status_filters(tmp_path: Path, capsys) -> None:
    write_article(tmp_path, "a.txt", "Kurti visits Brussels", "Albin Kurti met officials. " * 10)
    write_article(tmp_path, "b.txt", "Harvest is late", "Farmers waited for rain. " * 10)
    project = tmp_path / "p.stancemark"
    main(["import", str(project), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    capsys.readouterr()
    main(["articles", str(project), "--search", "kurti", "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["title"] for r in rows] == ["Kurti visits Brussels"]
    main(["articles", str(project), "--status", "done", "--json"])
    assert capsys.readouterr().out.strip() == ""
    main(["info", str(project), "--json"])
    info = json.loads(capsys.readouterr().out)
    assert info["articles"] == 2 and info["schema_version"] >= 1


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    proc = subprocess.run([sys.executable, "-m", "stancemark", "info", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a Stancemark project" in lines[0]
    proc = subprocess.run([sys.executable, "-m", "stancemark", "articles",
                           str(tmp_path / "none.stancemark")], capture_output=True, text=True)
    assert proc.returncode == 1 and "no project" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_qt_library_is_named_not_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    import stancemark.app

    def no_egl(*args, **kwargs):
        raise ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(stancemark.app, "run", no_egl)
    assert main([str(tmp_path / "p.stancemark")]) == 3
    err = capsys.readouterr().err
    assert "libEGL.so.1 is missing" in err and "apt-get install libegl1" in err
