"""File › Export Annotations: the real window, the dialog, a worker and the file read back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from stancemark.services.annotation import AnnotationService
from stancemark.services.edits import perform
from stancemark.store import Store


def annotate(store: Store, annotator: str = "alice") -> dict[str, int]:
    """Tag a few mentions, a claim and sentiments in the first two articles; return counts."""
    service = AnnotationService(store, annotator)
    codebook = store.codebook.load()
    ids = store.articles.ids()
    counts = {"mentions": 0, "claims": 0, "sentiments": 0}
    for article_id in ids[:2]:
        text = store.articles.get(article_id).text
        for name in ("Kurti", "Vučić", "Borrell"):
            if name in text:
                start = text.index(name)
                existing = [a for a in store.actors.all() if a.name == name]
                edit = service.tag_actor(article_id, start, start + len(name), existing[0].id) \
                    if existing else service.tag_new_actor(article_id, start,
                                                           start + len(name), name, "person")
                perform(store, edit)
                counts["mentions"] += 1
        start = text.index("\n") + 1
        perform(store, service.add_claim(article_id, start, start + 20, stance=-1))
        counts["claims"] += 1
        perform(store, service.set_article_sentiment(article_id, 1, codebook))
        counts["sentiments"] += 1
    perform(store, service.set_status(ids[0], "done"))
    return counts


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def article_lines(path: Path) -> list[dict]:
    return [r for r in read_jsonl(path) if r.get("kind") == "article"]


def open_dialog(qtbot, window):
    dialog = window.show_export_dialog()
    qtbot.waitExposed(dialog)
    return dialog


def choose(dialog, fmt: str, path: Path) -> None:
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    dialog.path_edit.setText(str(path))


def run_export(qtbot, dialog) -> object:
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as blocker:
        qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)  # Enter exports
    return blocker.args[0]


def test_export_action_is_ctrl_e_in_the_file_menu(qtbot, window) -> None:
    action = window.window_actions["export_annotations"]
    assert action.shortcut().toString() == "Ctrl+E"
    qtbot.keyClick(window.article_view.text_edit, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.export_dialog is not None
                    and window.export_dialog.isVisible())
    assert action in window.menus["File"].actions()
    assert window.window_actions["merge_set"] in window.menus["File"].actions()


def test_export_jsonl_from_the_window_matches_the_store(qtbot, window, project: Store,
                                                        tmp_path: Path) -> None:
    counts = annotate(project)
    window.window_actions["export_annotations"].trigger()
    dialog = window.export_dialog
    assert dialog is not None and dialog.isVisible()
    out = tmp_path / "set.jsonl"
    choose(dialog, "jsonl", out)
    summary = run_export(qtbot, dialog)
    assert summary.output == out
    lines = article_lines(out)
    assert len({r["article"]["uid"] for r in lines}) == project.articles.count() == 3
    assert sum(len(r["mentions"]) for r in lines) == counts["mentions"] == summary.mentions
    assert sum(len(r["claims"]) for r in lines) == counts["claims"] == summary.claims
    assert {r["annotator"] for r in lines if r["mentions"]} == {"alice"}
    text = dialog.result_label.text()
    assert "3 article(s)" in text and str(out) in text
    assert dialog.isVisible()  # stays open with the summary; Esc closes it
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_filtered_export_only_done_articles_and_only_claims(qtbot, window, project: Store,
                                                            tmp_path: Path) -> None:
    annotate(project)
    dialog = open_dialog(qtbot, window)
    out = tmp_path / "done.jsonl"
    choose(dialog, "jsonl", out)
    dialog.scope_matching.setChecked(True)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("done"))
    dialog.kind_checks["mentions"].setChecked(False)
    dialog.kind_checks["sentiment"].setChecked(False)
    qtbot.waitUntil(lambda: dialog.count_label.text().startswith("1 article "))
    summary = run_export(qtbot, dialog)
    lines = article_lines(out)
    assert {r["article"]["status"] for r in lines} == {"done"}
    assert len(lines) == 1 and summary.articles == 1
    assert lines[0]["claims"] and not lines[0]["mentions"]
    assert summary.mentions == 0


def test_export_of_the_selected_article_and_by_search(qtbot, window, project: Store,
                                                      tmp_path: Path) -> None:
    annotate(project)
    second = project.articles.ids()[1]
    window.open_article(second)
    dialog = open_dialog(qtbot, window)
    assert dialog.scope_selected.isEnabled()
    dialog.scope_selected.setChecked(True)
    out = tmp_path / "sel.jsonl"
    choose(dialog, "jsonl", out)
    run_export(qtbot, dialog)
    assert [r["article"]["title"] for r in article_lines(out)] == ["Talks resume"]

    dialog.scope_matching.setChecked(True)
    dialog.search_edit.setText("quiet")
    out2 = tmp_path / "search.jsonl"
    dialog.path_edit.setText(str(out2))
    qtbot.waitUntil(lambda: dialog.count_label.text().startswith("1 article "))
    run_export(qtbot, dialog)
    assert [r["article"]["title"] for r in article_lines(out2)] == ["A quiet day"]


def test_annotator_filter(qtbot, window, project: Store, tmp_path: Path) -> None:
    annotate(project, "alice")
    annotate(project, "bob")
    dialog = open_dialog(qtbot, window)
    names = [dialog.annotator_list.item(i).text() for i in range(dialog.annotator_list.count())]
    assert names == ["alice", "bob"]
    dialog.annotator_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    out = tmp_path / "bob.jsonl"
    choose(dialog, "jsonl", out)
    run_export(qtbot, dialog)
    assert {r["annotator"] for r in article_lines(out)} <= {"bob", None}
    dialog.annotator_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.export_button.isEnabled()
    assert "annotator" in dialog.path_note.text()


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No,
                                    QMessageBox.StandardButton.Yes])
def test_overwrite_is_asked_first(qtbot, window, project: Store, tmp_path: Path,
                                  monkeypatch, answer) -> None:
    annotate(project)
    out = tmp_path / "existing.jsonl"
    out.write_text('{"stancemark": 1, "kind": "codebook"}\n', encoding="utf-8")  # an earlier export
    asked: list[str] = []

    def fake_question(_parent, _title, text, *_args, **_kw):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", fake_question)
    dialog = open_dialog(qtbot, window)
    choose(dialog, "jsonl", out)
    if answer == QMessageBox.StandardButton.No:
        qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
        assert asked and str(out) in asked[0]
        assert dialog.runner is None
        assert out.read_text(encoding="utf-8") == '{"stancemark": 1, "kind": "codebook"}\n'
        assert "kept" in dialog.result_label.text()
    else:
        run_export(qtbot, dialog)
        assert asked
        assert len(article_lines(out)) == 3


def test_foreign_outputs_cannot_be_replaced_from_the_window(qtbot, window, project: Store,
                                                           tmp_path: Path,
                                                           monkeypatch) -> None:
    annotate(project)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: asked.append("asked") or QMessageBox.StandardButton.Yes)
    notes = tmp_path / "notes.jsonl"
    notes.write_text("my notes\n", encoding="utf-8")
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "thesis.tex").write_text("\\chapter{One}")
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    dialog = open_dialog(qtbot, window)
    for fmt, out, why in (("jsonl", notes, "not a Stancemark export"),
                          ("csv", thesis, "not a Stancemark export"),
                          ("jsonl", fifo, "FIFO")):
        choose(dialog, fmt, out)
        if fmt == "csv":
            dialog.as_zip.setChecked(False)
            choose(dialog, fmt, out)
        assert why in dialog.path_note.text()
        assert not dialog.export_button.isEnabled()
        dialog.start_export()  # Enter or a stray call: still nothing happens
        assert dialog.runner is None
    assert asked == []
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    assert [p.name for p in thesis.iterdir()] == ["thesis.tex"]


def test_multi_file_format_offers_folder_or_zip(qtbot, window, project: Store,
                                                tmp_path: Path) -> None:
    annotate(project)
    dialog = open_dialog(qtbot, window)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    assert not dialog.container_row.isHidden()
    assert dialog.path_edit.text().endswith("-csv")
    dialog.as_zip.setChecked(True)
    assert dialog.path_edit.text().endswith("-csv.zip")
    out = tmp_path / "tables.zip"
    dialog.path_edit.setText(str(out))
    summary = run_export(qtbot, dialog)
    assert summary.zipped and out.is_file()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("conll"))
    assert dialog.container_row.isHidden()
    assert dialog.lossy_label.isVisibleTo(dialog) and "Lossy" in dialog.lossy_label.text()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("graphml"))
    assert dialog.option_combos["network"].isVisibleTo(dialog)
    assert not dialog.option_combos["position_unit"].isVisibleTo(dialog)
    assert dialog.options() == {"network": "one-mode"}


def test_format_options_come_from_the_registry(qtbot, window) -> None:
    """Every format's options, labels and defaults are the registry's: one place."""
    from stancemark.exchange.registry import available, get_exporter

    dialog = open_dialog(qtbot, window)
    for name in available():
        exporter = get_exporter(name)
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(name))
        assert dialog.format_combo.currentText().startswith(exporter.title)
        assert dialog.options() == {o.name: o.default for o in exporter.options}
        for option_name, combo in dialog.option_combos.items():
            assert combo.isVisibleTo(dialog) == (exporter.option(option_name) is not None)


def test_last_format_and_folder_are_remembered(qtbot, window, project: Store,
                                               tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, window)
    choose(dialog, "doccano", tmp_path / "d.jsonl")
    run_export(qtbot, dialog)
    dialog.close()
    again = open_dialog(qtbot, window)
    assert again.format_name == "doccano"
    assert Path(again.path_edit.text()).parent == tmp_path


def test_export_failure_is_shown(qtbot, window, project: Store, tmp_path: Path,
                                 monkeypatch) -> None:
    import stancemark.ui.export_dialog as module
    from stancemark.core.errors import StancemarkError

    dialog = open_dialog(qtbot, window)
    folder = tmp_path / "a-folder.jsonl"
    folder.mkdir()
    choose(dialog, "jsonl", folder)
    # the service's refusal shows before exporting: a file format never replaces a folder
    assert "is a folder" in dialog.path_note.text()
    assert not dialog.export_button.isEnabled()

    def failing_export(*_args, **_kw):
        raise StancemarkError("Cannot write out.jsonl: No space left on device.", "Free some.")

    monkeypatch.setattr(module, "export_project", failing_export)
    choose(dialog, "jsonl", tmp_path / "out.jsonl")
    with qtbot.waitSignal(dialog.export_failed, timeout=20_000) as blocker:
        dialog.start_export()
    assert "No space left" in blocker.args[0]
    assert "Export failed" in dialog.result_label.text()
    assert "Traceback" not in dialog.result_label.text()
    assert dialog.export_button.isEnabled()


def test_cancel_stops_the_export_and_writes_nothing(qtbot, window, project: Store,
                                                    tmp_path: Path, monkeypatch) -> None:
    import stancemark.ui.export_dialog as module
    from stancemark.core.progress import ProgressEvent

    def slow_export(_store, _fmt, _output, _flt, _options, progress, cancel, *, force):
        progress(ProgressEvent(1, 3, "first"))
        for _ in range(2000):  # until the test cancels (at most ~20 s)
            cancel.check()
            cancel._event.wait(0.01)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(module, "export_project", slow_export)
    dialog = module.ExportDialog(project, [], window, delay_ms=0)
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "never.jsonl"
    choose(dialog, "jsonl", out)
    dialog.start_export()
    runner = dialog.runner
    assert runner is not None and not dialog.form.isEnabled()
    qtbot.waitUntil(lambda: runner.dialog.isVisible())
    qtbot.waitUntil(lambda: "Exporting article 1 of 3" in runner.dialog.labelText())
    with qtbot.waitSignal(dialog.export_cancelled, timeout=20_000):
        button = runner.dialog.findChild(QPushButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the progress dialog's Cancel
    assert "cancelled" in dialog.result_label.text()
    assert not out.exists() and dialog.form.isEnabled()


def test_summary_names_side_file_and_settings(qtbot, window, project: Store,
                                              tmp_path: Path) -> None:
    annotate(project)
    dialog = open_dialog(qtbot, window)
    choose(dialog, "doccano", tmp_path / "d.jsonl")
    dialog.option_combos["spans"].setCurrentIndex(
        dialog.option_combos["spans"].findData("mentions"))
    assert dialog.options() == {"spans": "mentions"}
    run_export(qtbot, dialog)
    assert "default settings" in dialog.result_label.text()
    choose(dialog, "conll", tmp_path / "c.conll")
    run_export(qtbot, dialog)
    assert "c.documents.jsonl" in dialog.result_label.text()
