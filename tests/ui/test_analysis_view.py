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
    assert dialog.pending  # edits are gathered for a moment, then counted once
    qtbot.waitUntil(lambda: not dialog.pending)
    rows = list(csv.reader(charts.save("csv", str(tmp_path / "b.csv")).read_text().splitlines()))
    assert ["(no claimant)", "1"] in rows
    dialog.close()


def test_a_burst_of_edits_is_counted_once(make_window, project, qtbot, monkeypatch) -> None:
    import stancemark.ui.analysis_view as view

    tagged(project)
    win = make_window(project)
    dialog = win.show_analysis()
    qtbot.addWidget(dialog)
    counted = []
    real = view.project_charts
    monkeypatch.setattr(view, "project_charts",
                        lambda *a, **k: counted.append(1) or real(*a, **k))
    built = []
    monkeypatch.setattr(dialog.network, "rebuild", lambda f=None: built.append(f))
    art = project.articles.ids()[1]
    win.session.open_article(art)
    text = project.articles.get(art).text
    for word in ("announced", "dialogue", "Brussels"):  # three claims in quick succession
        start = text.index(word)
        win.session.perform(win.session.service.add_claim(art, start, start + len(word)))
    qtbot.waitUntil(lambda: not dialog.pending)
    assert counted == [1] and built == []  # the network tab is not shown: not recomputed
    dialog.tabs.setCurrentIndex(1)
    assert built == [None]  # shown: computed once, now
    dialog.close()


def test_network_tab_draws_conflict_and_lists_an_actors_claims(make_window, project,
                                                               qtbot) -> None:
    kurti, _vucic = tagged(project)
    project.articles.add(ArticleDraft("Nothing here.", title="x"))
    win = make_window(project)
    dialog = win.show_analysis()
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
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



def dated_study(store):
    """Two outlets, January and March 2024, two coders, an organisation."""
    from datetime import datetime

    text = "Ana Petrov said the bridge must wait. The Port Guild rejected the delay."
    jan = store.articles.add(ArticleDraft(text, title="Bridge", source="North Ledger",
                                          published=datetime(2024, 1, 10)))
    mar = store.articles.add(ArticleDraft(text + " ", title="Bridge 2", source="South Wire",
                                          published=datetime(2024, 3, 15)))
    ana = store.actors.add("Ana Petrov", "person")
    guild = store.actors.add("Port Guild", "organisation")
    said, rejected = text.index("the bridge"), text.index("rejected")
    for art in (jan, mar):
        for coder in ("alice", "bojan"):
            store.annotations.add_claim(art, said, said + 10, coder, claimant_id=ana,
                                        category="security", stance=2)
        store.annotations.add_claim(art, rejected, rejected + 8, "alice", claimant_id=guild,
                                    category="security", stance=-2)
    return ana, guild


def test_filters_restrict_every_chart_and_the_network(make_window, store, qtbot,
                                                       tmp_path) -> None:
    from PySide6.QtCore import QDate

    ana, guild = dated_study(store)
    win = make_window(store)
    dialog = win.show_analysis()
    qtbot.addWidget(dialog)
    bar, charts = dialog.filters, dialog.charts
    charts.choice.setCurrentIndex(charts.choice.findData("claims-per-actor"))
    dialog.tabs.setCurrentIndex(1)  # the network is computed while its tab is shown
    dialog.tabs.setCurrentIndex(0)

    def per_actor() -> list[list[str]]:
        return list(csv.reader(charts.save("csv", str(tmp_path / "c.csv"))
                               .read_text().splitlines()))[1:]

    assert per_actor() == [["Ana Petrov", "4"], ["Port Guild", "2"]]
    assert not charts.note.isVisible()
    bar.coder.setCurrentIndex(bar.coder.findData("bojan"))
    assert per_actor() == [["Ana Petrov", "2"]]
    assert charts.note.isVisible() and "coder bojan" in charts.note.text()
    dialog.tabs.setCurrentIndex(1)
    assert set(dialog.network.nodes) == {f"a{ana}"}  # the network follows the filter too
    dialog.tabs.setCurrentIndex(0)
    bar.coder.setCurrentIndex(0)
    bar.date_from.setDate(QDate(2024, 3, 1))
    assert per_actor() == [["Ana Petrov", "2"], ["Port Guild", "1"]]
    bar.actor_type.setCurrentIndex(bar.actor_type.findData("organisation"))
    assert per_actor() == [["Port Guild", "1"]]
    assert "2024-03-01 to …" in charts.note.text()
    bar.reset.click()
    assert per_actor() == [["Ana Petrov", "4"], ["Port Guild", "2"]]
    bar.outlet.setCurrentIndex(bar.outlet.findData("North Ledger"))
    assert per_actor() == [["Ana Petrov", "2"], ["Port Guild", "1"]]
    # a new outlet appears among the choices as soon as an article of it is added
    from stancemark.core.changes import Change, kinds

    store.articles.add(ArticleDraft("Nothing.", title="n", source="West Post"))
    win.session.changed.emit(Change(kinds=kinds("articles")))
    assert bar.outlet.findData("West Post") > 0
    assert bar.outlet.currentData() == "North Ledger"  # the choice is kept
    dialog.close()


def test_network_time_windows_on_a_slider(make_window, store, qtbot) -> None:
    ana, guild = dated_study(store)
    win = make_window(store)
    dialog = win.show_analysis()
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    net = dialog.network
    assert not net.slider.isEnabled()
    net.windows.setCurrentIndex(net.windows.findData(30))
    assert net.slider.isEnabled() and net.slider.maximum() >= 2  # January … March
    assert net.window_label.text().startswith("1 of ")
    assert "2024-01-10" in net.window_label.text()
    assert set(net.nodes) == {f"a{ana}", f"a{guild}"}
    red = [i for i in net.scene.items() if i.type() == 6 and i.pen().color().name() == "#c0392b"]
    assert red  # January: the guild opposes Ana
    net.slider.setValue(1)  # February: nobody spoke; both actors stay in place, no tie
    assert set(net.nodes) == {f"a{ana}", f"a{guild}"}
    assert not [i for i in net.scene.items() if i.type() == 6]
    assert "0 claims" in net.window_label.text()
    net.slider.setValue(net.slider.maximum())
    net.select_actor(f"a{ana}")
    assert net.claims.count() == 2  # the March claims of both coders, not January's
    dialog.grab().save("/tmp/analysis-windows.png")
    net.windows.setCurrentIndex(0)
    net.select_actor(f"a{ana}")
    assert net.claims.count() == 4
    dialog.close()


def test_sentiment_towards_any_rated_actor_and_the_network_saved(make_window, store, qtbot,
                                                                 tmp_path) -> None:
    import xml.etree.ElementTree as ET
    from datetime import datetime

    ana, guild = dated_study(store)
    late = store.articles.add(ArticleDraft("Later text.", title="Later", source="North Ledger",
                                           published=datetime(2024, 6, 2)))
    january = store.articles.ids()[0]
    for coder in ("alice", "bojan"):
        store.annotations.set_sentiment(january, ana, coder, 2)
        store.annotations.set_sentiment(late, ana, coder, 1)
        store.annotations.set_sentiment(january, guild, coder, -2)
    win = make_window(store)
    dialog = win.show_analysis()
    qtbot.addWidget(dialog)
    charts = dialog.charts
    assert charts.actor.isEnabled()
    charts.actor.setCurrentIndex(charts.actor.findData(guild))
    charts.actor.activated.emit(charts.actor.currentIndex())
    assert charts.current()[0] == "sentiment-towards-port-guild"
    rows = list(csv.reader(charts.save("csv", str(tmp_path / "g.csv")).read_text().splitlines()))
    assert rows == [["label", "mean sentiment"], ["2024-01", "-2.0"]]
    # the chosen actor's chart stays through a filter change, and follows it
    dialog.filters.coder.setCurrentIndex(dialog.filters.coder.findData("bojan"))
    assert charts.current()[0] == "sentiment-towards-port-guild"
    charts.actor.setCurrentIndex(charts.actor.findData(ana))
    charts.actor.activated.emit(charts.actor.currentIndex())
    rows = list(csv.reader(charts.save("csv", str(tmp_path / "a.csv")).read_text().splitlines()))
    assert rows[1:] == [["2024-01", "2.0"], ["2024-06", "1.0"]]
    # the network drawn: its ties as CSV, a picture as PNG and SVG
    net = dialog.network
    dialog.filters.reset.click()
    dialog.tabs.setCurrentIndex(1)
    ties = list(csv.reader(net.save("csv", str(tmp_path / "n.csv")).read_text().splitlines()))
    assert ties[0][:4] == ["actor", "actor", "tie", "weight"]
    assert {tuple(sorted(r[:2])) + (r[2],) for r in ties[1:]} == {
        ("Ana Petrov", "Port Guild", "conflict")}
    png = QImage(str(net.save("png", str(tmp_path / "n.png"))))
    assert not png.isNull() and png.width() > 200
    svg = ET.parse(net.save("svg", str(tmp_path / "n.svg"))).getroot()
    assert svg.tag.endswith("svg") and "Port Guild" in ET.tostring(svg, encoding="unicode")
    dialog.close()


def test_a_save_that_fails_says_why_in_a_box(make_window, project, qtbot, tmp_path,
                                             monkeypatch) -> None:
    import stancemark.ui.analysis_view as view

    tagged(project)
    win = make_window(project)
    dialog = win.show_analysis()
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    missing = tmp_path / "no such folder"
    told: list[str] = []
    monkeypatch.setattr(view.QMessageBox, "warning", lambda _p, _t, text: told.append(text))
    for tab, kind in ((dialog.charts, "csv"), (dialog.charts, "png"), (dialog.network, "svg"),
                      (dialog.network, "csv")):
        monkeypatch.setattr(view.QFileDialog, "getSaveFileName",
                            lambda *_a, k=kind: (str(missing / f"out.{k}"), ""))
        button = next(b for b in tab.findChildren(view.QPushButton)
                      if b.text().replace("&", "").endswith(f"{kind.upper()}…"))
        button.click()
        assert told and "Cannot write" in told[-1] and "out." in told[-1], (kind, told)
    assert len(told) == 4 and not missing.exists()
    dialog.close()
