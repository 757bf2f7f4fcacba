"""The Analysis window: charts from the project, saved as SVG/PNG/CSV, and the network."""

from __future__ import annotations

import csv

from PySide6.QtGui import QImage

from stancemark.core.models import ArticleDraft


def tagged(project):
    art = project.articles.ids()[0]
    text = project.articles.get(art).text
    kurti = project.actors.add("Albin Kurti", "person")
    vucic = project.actors.add("Aleksandar Vučić", "person")
    for coder in ("alice", "bojan"):
        s = text.index("said on Monday")
        project.annotations.add_claim(art, s, s + 14, coder, claimant_id=kurti,
                                      category="security", stance=-1)
        s = text.index("answered that")
        project.annotations.add_claim(art, s, s + 13, coder, claimant_id=vucic,
                                      category="security", stance=1)
    return kurti, vucic


def test_analysis_shows_charts_saves_them_and_follows_edits(make_window, project, qtbot,
                                                            tmp_path) -> None:
    tagged(project)
    win = make_window(project)
    dialog = win.show_analysis()
    qtbot.addWidget(dialog)
    charts = dialog.charts
    assert charts.choice.count() >= 6
    charts.choice.setCurrentIndex(charts.choice.findData("claims-per-actor"))
    assert not charts.svg.renderer().defaultSize().isEmpty()
    rows = list(csv.reader(charts.save("csv", str(tmp_path / "a.csv")).read_text().splitlines()))
    assert rows[1:] == [["Albin Kurti", "2"], ["Aleksandar Vučić", "2"]]
    png = QImage(str(charts.save("png", str(tmp_path / "a.png"))))
    assert png.width() >= 1000 and not png.isNull()
    assert "<svg" in charts.save("svg", str(tmp_path / "a.svg")).read_text()
    # an edit in the window reaches the open charts at once
    art = project.articles.ids()[1]
    win.session.open_article(art)
    text = project.articles.get(art).text
    start = text.index("announced")
    win.session.perform(win.session.service.add_claim(art, start, start + 9))
    rows = list(csv.reader(charts.save("csv", str(tmp_path / "b.csv")).read_text().splitlines()))
    assert ["(no claimant)", "1"] in rows
    dialog.close()


def test_network_tab_draws_conflict_and_lists_an_actors_claims(make_window, project,
                                                               qtbot) -> None:
    kurti, _vucic = tagged(project)
    project.articles.add(ArticleDraft("Nothing here.", title="x"))
    win = make_window(project)
    dialog = win.show_analysis()
    qtbot.addWidget(dialog)
    net = dialog.network
    assert set(net.nodes) == {f"a{kurti}", f"a{_vucic}"}
    lines = [i for i in net.scene.items() if i.type() == 6]  # QGraphicsLineItem
    assert any(line.pen().color().name() == "#c0392b" for line in lines)  # their conflict
    net.select_actor(f"a{kurti}")
    assert net.claims.count() == 2
    assert net.claims.item(0).text().startswith("“said on Monday")
    dialog.tabs.setCurrentIndex(1)
    dialog.grab().save("/tmp/analysis-network.png")
    dialog.tabs.setCurrentIndex(0)
    dialog.grab().save("/tmp/analysis-charts.png")
    dialog.close()

