"""File › Merge Annotation Set: another analyst's set merged from the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from stancemark.core.models import ArticleDraft
from stancemark.services.exchange import export_project, merge_set
from stancemark.store import Store, memory_project, open_project
from tests.ui.conftest import ARTICLE_ONE, ARTICLE_THREE, ARTICLE_TWO
from tests.ui.test_export_dialog import annotate


@pytest.fixture
def file_project(tmp_path: Path):
    store = open_project(tmp_path / "mine.stancemark", create=True)
    store.articles.add_many([
        ArticleDraft(ARTICLE_ONE, title="Kurti meets Vučić", source="Balkan Daily"),
        ArticleDraft(ARTICLE_TWO, title="Talks resume", source="EU Observer"),
        ArticleDraft(ARTICLE_THREE, title="A quiet day", source="Local News"),
    ])
    yield store
    store.close()


def other_analysts_set(store: Store, tmp_path: Path) -> Path:
    """A copy of ``store`` where bob annotates and alice changes one stance, exported."""
    base = tmp_path / "base.jsonl"
    export_project(store, "jsonl", base)
    other = memory_project()
    try:
        merge_set(other, base)
        other.articles.add_many([ArticleDraft("Fresh news\nA new article only bob has.",
                                              title="Fresh news")])
        annotate(other, "bob")
        first = other.articles.ids()[0]
        claim = other.annotations.claims(first, "alice")[0]
        other.annotations.update_claim(claim.id, stance=1)  # alice said -1 in the project
        out = tmp_path / "theirs.jsonl"
        export_project(other, "jsonl", out)
    finally:
        other.close()
    return out


def answer(monkeypatch, path: Path, asked: list[str]) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))

    def question(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)


def test_merge_brings_in_a_second_annotator_and_reports_conflicts(
        qtbot, make_window, file_project: Store, tmp_path: Path, monkeypatch) -> None:
    annotate(file_project, "alice")
    theirs = other_analysts_set(file_project, tmp_path)
    win = make_window(file_project)
    # an edit before the merge: its undo step must not survive the merge
    win.session.perform(win.session.service.set_article_sentiment(
        win.session.article.id, 1, win.session.codebook))
    assert win.session.undo_stack.count() == 1
    spans_before = len(win.spans())
    rows_before = win.article_list.model.total()
    asked: list[str] = []
    answer(monkeypatch, theirs, asked)

    with qtbot.waitSignal(win.merge_flow.merged, timeout=20_000) as blocker:
        win.window_actions["merge_set"].trigger()
    report = blocker.args[0]
    assert asked and "not on the undo stack" in asked[0] and "copy of the project" in asked[0]
    assert file_project.annotators() == ["alice", "bob"]
    first = file_project.articles.ids()[0]
    assert file_project.annotations.claims(first, "bob")
    assert file_project.annotations.claims(first, "alice")[0].stance == -1  # project kept
    assert report.articles_added == 1
    assert any("stance -1 in the project, 1 in the set" in c for c in report.conflicts)
    assert report.backup is not None and report.backup.exists()
    # the report: scrollable text naming the conflicts, and where the copy is
    dialog = win.merge_flow.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert "conflict:" in dialog.text_edit.toPlainText()
    assert "A copy of the project was kept" in dialog.headline.text()
    assert str(report.backup) in dialog.headline.text()
    # the window shows the merged work; the merge is not an undo step and ends the history
    assert win.article_list.model.total() == rows_before + 1
    assert len(win.spans()) > spans_before
    assert win.session.undo_stack.count() == 0  # history cleared: it predates the merge
    assert "clears the undo history" in asked[0]
    assert win.centralWidget().isEnabled()
    assert win.window_actions["tag_actor"].isEnabled()


def test_malformed_set_is_refused_with_its_line_and_nothing_changes(
        qtbot, make_window, file_project: Store, tmp_path: Path, monkeypatch) -> None:
    annotate(file_project, "alice")
    theirs = other_analysts_set(file_project, tmp_path)
    lines = theirs.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "truncated.jsonl"
    bad.write_text("\n".join(lines[:2] + [lines[2][: len(lines[2]) // 2]] + lines[3:]) + "\n",
                   encoding="utf-8")
    win = make_window(file_project)
    before = file_project.counts()
    answer(monkeypatch, bad, [])

    with qtbot.waitSignal(win.merge_flow.merge_failed, timeout=20_000) as blocker:
        win.window_actions["merge_set"].trigger()
    assert "line 3" in blocker.args[0]
    assert "Traceback" not in blocker.args[0]
    dialog = win.merge_flow.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert "Nothing was merged" in dialog.headline.text()
    assert "line 3" in dialog.text_edit.toPlainText()
    assert file_project.counts() == before
    assert file_project.annotators() == ["alice"]
    assert win.centralWidget().isEnabled()


def test_declining_the_confirmation_merges_nothing(qtbot, window, project: Store,
                                                   tmp_path: Path, monkeypatch) -> None:
    annotate(project, "alice")
    theirs = other_analysts_set(project, tmp_path)
    before = project.counts()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Cancel)
    assert not window.merge_flow.merge(theirs)
    assert window.merge_flow.runner is None
    assert project.counts() == before


def test_merge_is_disabled_in_a_read_only_project(make_window, tmp_path: Path) -> None:
    path = tmp_path / "held.stancemark"
    open_project(path, create=True).close()
    store = open_project(path, read_only=True)
    try:
        win = make_window(store)
        assert not win.window_actions["merge_set"].isEnabled()
        assert win.window_actions["export_annotations"].isEnabled()  # reading is fine
    finally:
        store.close()


def _with_codebook(path: Path, change) -> Path:
    import json

    lines = path.read_text(encoding="utf-8").splitlines()
    book = json.loads(lines[0])
    change(book)
    out = path.with_name("changed.jsonl")
    out.write_text("\n".join([json.dumps(book, ensure_ascii=False), *lines[1:]]) + "\n",
                   encoding="utf-8")
    return out


def test_report_names_what_the_codebook_gained(qtbot, make_window, file_project: Store,
                                               tmp_path: Path, monkeypatch) -> None:
    annotate(file_project, "alice")
    theirs = _with_codebook(other_analysts_set(file_project, tmp_path), lambda b: b[
        "scale"].append({"value": 3, "label": "glowing", "color": "#123456", "shortcut": "9"}))
    win = make_window(file_project)
    answer(monkeypatch, theirs, [])
    with qtbot.waitSignal(win.merge_flow.merged, timeout=20_000) as blocker:
        win.window_actions["merge_set"].trigger()
    assert blocker.args[0].codebook_changes == ["new scale point +3 (glowing, shortcut 9)"]
    dialog = win.merge_flow.report_dialog
    assert "The codebook gained 1 entry" in dialog.headline.text()
    assert "codebook: new scale point +3 (glowing, shortcut 9)" in dialog.text_edit.toPlainText()
    assert [p.value for p in win.session.codebook.scale][-1] == 3


def test_a_codebook_collision_is_refused_by_name(qtbot, make_window, file_project: Store,
                                                 tmp_path: Path, monkeypatch) -> None:
    annotate(file_project, "alice")
    theirs = _with_codebook(other_analysts_set(file_project, tmp_path), lambda b: b[
        "scale"].append({"value": 3, "label": "glowing", "color": "#123456", "shortcut": "1"}))
    win = make_window(file_project)
    before = file_project.counts()
    book = file_project.codebook.load()
    answer(monkeypatch, theirs, [])
    with qtbot.waitSignal(win.merge_flow.merge_failed, timeout=20_000) as blocker:
        win.window_actions["merge_set"].trigger()
    assert "scale value +3 has shortcut '1', which scale value -2 already uses" in blocker.args[0]
    assert file_project.counts() == before and file_project.codebook.load() == book
    assert not list(tmp_path.glob("*.before-merge-*"))


def test_window_opens_on_a_stored_codebook_thousands_deep(make_window) -> None:
    """A tree saved before the depth cap existed still fills the category list."""
    from stancemark.core.codebook import Category

    store = memory_project()
    try:
        book = store.codebook.load()
        book.categories += [Category(f"c{i}", f"C{i}", f"c{i - 1}" if i else None)
                            for i in range(3000)]
        store.codebook.save(book)  # the store does not validate; older versions let it in
        store.articles.add_many([ArticleDraft("Some text here.", title="T")])
        win = make_window(store)
        combo = win.tagging_panel.claim_editor.category_combo
        assert combo.findData("c2999") >= 0
    finally:
        store.close()
