"""The export framework: registry, atomic writes, refusals, zip, progress, cancel, no Qt."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from stancemark.core.errors import Cancelled, StancemarkError, ValidationError
from stancemark.core.filters import ExportFilter
from stancemark.core.progress import CancelFlag, ProgressEvent
from stancemark.exchange import registry
from stancemark.exchange.registry import Exporter, get_exporter
from stancemark.services.exchange import export_project

MINE = ("jsonl", "csv", "brat", "doccano", "conll")


def test_registry_lists_formats() -> None:
    assert list(registry.FORMATS) == ["jsonl", "csv", "brat", "doccano", "labelstudio", "xmi",
                                      "inception", "conll", "graphml", "qdpx"]
    assert set(MINE) <= set(registry.available())
    for name in MINE:
        exp = get_exporter(name)
        assert exp.name == name and exp.description
    assert get_exporter("conll").lossy and not get_exporter("jsonl").lossy
    with pytest.raises(ValidationError, match="Unknown export format"):
        get_exporter("docx")


@pytest.mark.parametrize("fmt", MINE)
def test_every_format_writes_all_articles(fmt, hostile_project, tmp_path: Path) -> None:
    exp = get_exporter(fmt)
    out = tmp_path / ("out.zip" if exp.multi_file else f"out{exp.suffix}")
    summary = export_project(hostile_project, fmt, out)
    assert out.is_file() and summary.articles == 4 and summary.claims == 7
    side = [f"out{exp.companion}"] if exp.companion else []
    # no temp files left; only the output (and a side file the format declares)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, *side])
    if exp.multi_file:
        assert zipfile.ZipFile(out).testzip() is None


def _boom(fmt: str) -> Exporter:
    def write(sets, dest, options, codebook, progress, cancel) -> None:
        Path(dest).write_text("half") if not Path(dest).is_dir() else \
            (Path(dest) / "half.txt").write_text("half")
        for _ in sets:
            raise OSError(28, "No space left on device")
    return Exporter(fmt, "fails", fmt == "folder", "", write)


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_failure_leaves_old_output_and_no_temp(kind, hostile_project, tmp_path: Path,
                                               monkeypatch) -> None:
    monkeypatch.setattr("stancemark.services.exchange.get_exporter", lambda name: _boom(kind))
    out = tmp_path / "out"
    old = '{"stancemark": 1, "kind": "codebook"}\n'  # an earlier export: --force may replace it
    if kind == "folder":
        out.mkdir()
        (out / "tasks.json").write_text(old)
    else:
        out.write_text(old)
    with pytest.raises(StancemarkError, match="No space left"):
        export_project(hostile_project, "x", out, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "tasks.json" if kind == "folder" else out).read_text() == old


def test_cancel_writes_nothing(hostile_project, tmp_path: Path) -> None:
    cancel = CancelFlag()
    events: list[ProgressEvent] = []

    def progress(e: ProgressEvent) -> None:
        events.append(e)
        if e.done == 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        export_project(hostile_project, "brat", tmp_path / "brat", progress=progress,
                       cancel=cancel)
    assert list(tmp_path.iterdir()) == []
    assert events[0].total == 4


def test_progress_and_force_over_folder(hostile_project, tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    out = tmp_path / "tables"
    export_project(hostile_project, "csv", out)
    with pytest.raises(StancemarkError, match="already exists"):
        export_project(hostile_project, "csv", out)
    (out / "thesis.csv").write_text("x")  # not ours: the folder is never replaced
    with pytest.raises(StancemarkError, match="not a Stancemark export"):
        export_project(hostile_project, "csv", out, force=True)
    assert (out / "thesis.csv").read_text() == "x"
    (out / "thesis.csv").unlink()
    (out / "claims.csv").write_text("article_uid,old\n")
    export_project(hostile_project, "csv", out, force=True, progress=events.append)
    assert (out / "claims.csv").read_text(encoding="utf-8-sig").count("\n") > 1
    assert [e.done for e in events] == [1, 2, 3, 4, 4]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


def test_file_format_refuses_folder_and_missing_parent(hostile_project, tmp_path: Path) -> None:
    (tmp_path / "dir.jsonl").mkdir()
    with pytest.raises(StancemarkError, match="is a folder"):
        export_project(hostile_project, "jsonl", tmp_path / "dir.jsonl", force=True)
    with pytest.raises(StancemarkError, match="does not exist"):
        export_project(hostile_project, "jsonl", tmp_path / "nope" / "a.jsonl")


def test_filters_kinds_and_annotators(hostile_project, tmp_path: Path) -> None:
    s = export_project(hostile_project, "jsonl", tmp_path / "a.jsonl",
                       ExportFilter(annotators=("alice",), kinds=frozenset({"claims"})))
    assert (s.articles, s.mentions, s.claims, s.sentiments) == (3, 0, 6, 0)


def test_exchange_imports_no_qt() -> None:
    code = ("import sys\n"
            "import stancemark.services.exchange, stancemark.cli_exchange\n"
            "from stancemark.exchange import registry\n"
            "for n in ('jsonl','csv','brat','doccano','conll'): registry.get_exporter(n)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'stancemark.ui'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
