"""The agreement window: figures for the chosen coders, disagreements side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt


def coded_twice(project):
    art = project.articles.ids()[0]
    text = project.articles.get(art).text
    kurti = project.actors.add("Albin Kurti", "person")
    s = text.index("Albin Kurti")
    for coder, stance, end in (("alice", -1, s + 11), ("bojan", 2, s + 5)):
        project.annotations.add_mention(art, s, end, kurti, coder)
        c = text.index("said on Monday")
        project.annotations.add_claim(art, c, c + 30, coder, claimant_id=kurti,
                                      category="security", stance=stance)
    return art


def test_agreement_window_computes_and_opens_a_disagreement(make_window, project,
                                                            qtbot) -> None:
    art = coded_twice(project)
    win = make_window(project)
    dialog = win.show_agreement()
    qtbot.addWidget(dialog)
    assert dialog.chosen() == ["alice", "bojan"]
    dialog.compute()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30000)
    layers = [dialog.overall.item(r, 0).text() for r in range(dialog.overall.rowCount())]
    assert layers == ["mentions", "claims", "article sentiment", "actor sentiment"]
    header = [dialog.overall.horizontalHeaderItem(c).text()
              for c in range(dialog.overall.columnCount())]
    f1 = dialog.overall.item(0, header.index("f1_exact")).text()
    assert f1 == "0.000"  # "Albin Kurti" against "Albin": no exact match
    assert dialog.pairs.rowCount() >= 2
    assert dialog.units.count() >= 1
    item = dialog.units.item(0)  # the claim: same span, stance −1 against +2
    unit = item.data(Qt.ItemDataRole.UserRole)
    assert unit["layer"] == "claims" and unit["article"] == art
    assert "alice: category security" in item.text() and "stance 2" in item.text()
    side = dialog._on_units_item_activated(item)
    qtbot.addWidget(side)
    assert set(side.columns) == {"alice", "bojan"}
    marked = {c: [s.cursor.selectedText() for s in side.columns[c].extraSelections()]
              for c in side.columns}
    assert marked == {"alice": [unit["text"]], "bojan": [unit["text"]]}
    side.close()
    # the mentions side by side show where the coders' spans differ
    from stancemark.ui.agreement_view import SideBySideDialog

    mentions = SideBySideDialog(win.session, art, ["alice", "bojan"], "mentions")
    qtbot.addWidget(mentions)
    marked = {c: [s.cursor.selectedText() for s in mentions.columns[c].extraSelections()]
              for c in mentions.columns}
    assert marked == {"alice": ["Albin Kurti"], "bojan": ["Albin"]}
    dialog.close()


def test_one_coder_is_not_enough(make_window, project, qtbot) -> None:
    coded_twice(project)
    win = make_window(project)
    dialog = win.show_agreement()
    qtbot.addWidget(dialog)
    dialog.coders.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.compute()
    assert "at least two" in dialog.status.text() and dialog.report is None
