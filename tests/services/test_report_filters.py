"""Charts, networks and the report count only what the study filter keeps: dates,
coder, outlet, category (with its sub-categories) and actor type."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.core.codebook import Category
from stancemark.core.filters import StudyFilter
from stancemark.core.models import ArticleDraft
from stancemark.services.report import project_charts
from stancemark.store import open_project

TEXT = ("Irena Balaš said the port must open. The Dock Union rejected the demand.\n"
        "Mira Hollen warned of a strike.")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """March (Valmora Post) and May (Dorvik Daily); a person and an organisation; a
    sub-category 'tariffs' under 'economy'; two coders."""
    path = tmp_path / "study.stancemark"
    with open_project(path, create=True) as s:
        book = s.codebook.load()
        s.codebook.save(replace(book, categories=[
            *book.categories, Category("tariffs", "Tariffs", parent="economy")]))
        march = s.articles.add(ArticleDraft(text=TEXT, title="Port", source="Valmora Post",
                                            published=datetime(2023, 3, 4, 10)))
        may = s.articles.add(ArticleDraft(text=TEXT + " ", title="Port 2",
                                          source="Dorvik Daily",
                                          published=datetime(2023, 5, 20, 8)))
        balas = s.actors.add("Irena Balaš", "person")
        union = s.actors.add("Dock Union", "organisation")
        said = TEXT.index("the port must open")
        rejected = TEXT.index("rejected the demand")
        for coder in ("alice", "bojan"):
            s.annotations.add_claim(march, said, said + 18, coder, claimant_id=balas,
                                    category="tariffs", stance=2)
            s.annotations.add_claim(march, rejected, rejected + 19, coder, claimant_id=union,
                                    category="tariffs", stance=-2)
            s.annotations.set_sentiment(march, None, coder, -1)
            s.annotations.set_sentiment(march, balas, coder, 2)
        s.annotations.add_claim(may, said, said + 18, "alice", claimant_id=balas,
                                category="diplomacy", stance=1)
        s.annotations.set_sentiment(may, None, "alice", 1)
        s.annotations.set_sentiment(may, balas, "alice", -2)
    return path


def numbers(chart) -> dict[str, object]:
    return dict(zip(chart.labels, chart.values, strict=True))


def charts_for(path: Path, f: StudyFilter | None):
    with open_project(path, read_only=True) as s:
        return project_charts(s, with_agreement=False, study_filter=f)


def test_no_filter_counts_everything(study: Path) -> None:
    charts = charts_for(study, None).charts
    assert numbers(charts["claims-per-actor"]) == {"Irena Balaš": 3, "Dock Union": 2}


def test_dates_keep_the_articles_of_the_period(study: Path) -> None:
    out = charts_for(study, StudyFilter(date_from="2023-05-01", date_to="2023-05-31"))
    c = out.charts
    assert numbers(c["claims-per-actor"]) == {"Irena Balaš": 1}
    assert numbers(c["claims-per-outlet"]) == {"Dorvik Daily": 1}
    assert numbers(c["claims-per-month"]) == {"2023-05": 1}
    assert numbers(c["article-sentiment-over-time"]) == {"2023-05": 1}
    assert numbers(c["sentiment-towards-irena-balaš"]) == {"2023-05": -2}
    # coverage: of the one article in May, alice annotated it and bojan did not
    assert numbers(c["coder-coverage"]) == {"alice": [1, 0]}
    assert c["coder-coverage"].note == "of 1 articles"
    assert out.overview.claims == 5  # the overview still describes the whole project
    # an end date is inclusive: the article of 2023-03-04 10:00 counts on its day
    one_day = charts_for(study, StudyFilter(date_from="2023-03-04", date_to="2023-03-04"))
    assert numbers(one_day.charts["claims-per-actor"]) == {"Irena Balaš": 2, "Dock Union": 2}


def test_coder_outlet_category_and_actor_type(study: Path) -> None:
    by_coder = charts_for(study, StudyFilter(annotators=("bojan",))).charts
    assert numbers(by_coder["claims-per-actor"]) == {"Irena Balaš": 1, "Dock Union": 1}
    assert numbers(by_coder["coder-coverage"]) == {"bojan": [1, 1]}
    by_outlet = charts_for(study, StudyFilter(sources=("Valmora Post",))).charts
    assert numbers(by_outlet["claims-per-outlet"]) == {"Valmora Post": 4}
    # a category takes its sub-categories with it
    economy = charts_for(study, StudyFilter(categories=("economy",))).charts
    assert numbers(economy["claims-per-actor"]) == {"Irena Balaš": 2, "Dock Union": 2}
    assert numbers(economy["claims-per-category"]) == {"Economy › Tariffs": 4}
    assert numbers(charts_for(study, StudyFilter(categories=("tariffs",))).charts[
        "claims-per-actor"]) == {"Irena Balaš": 2, "Dock Union": 2}
    assert numbers(charts_for(study, StudyFilter(categories=("diplomacy",))).charts[
        "claims-per-actor"]) == {"Irena Balaš": 1}
    assert "do not apply to article ratings" in economy["article-sentiment-over-time"].note
    orgs = charts_for(study, StudyFilter(actor_types=("organisation",))).charts
    assert numbers(orgs["claims-per-actor"]) == {"Dock Union": 2}
    assert not any(k.startswith("sentiment-towards") for k in orgs)  # only a person is rated
    nothing = charts_for(study, StudyFilter(sources=("Nowhere Times",))).charts
    assert numbers(nothing["claims-per-actor"]) == {}


def test_the_network_figures_follow_the_filter(study: Path) -> None:
    everything = dict(charts_for(study, None).networks)
    assert [(a, b) for a, b, _v in everything["conflict"]] in (
        [("Irena Balaš", "Dock Union")], [("Dock Union", "Irena Balaš")])
    # bojan alone: still in conflict; May alone: one actor, no tie
    assert dict(charts_for(study, StudyFilter(annotators=("bojan",))).networks)["conflict"]
    may = dict(charts_for(study, StudyFilter(date_from="2023-05-01")).networks)
    assert may.get("conflict", []) == []


def test_cli_report_and_charts_take_the_filter(study: Path, tmp_path: Path) -> None:
    html, folder = tmp_path / "r.html", tmp_path / "charts"
    assert main(["report", str(study), "-o", str(html), "--charts", str(folder),
                 "--from", "2023-03-01", "--to", "2023-03-31", "--annotator", "bojan"]) == 0
    text = html.read_text(encoding="utf-8")
    assert "count only" in text and "2023-03-01 to 2023-03-31" in text and "bojan" in text
    rows = list(csv.reader((folder / "claims-per-actor.csv").read_text().splitlines()))
    assert rows[1:] == [["Dock Union", "1"], ["Irena Balaš", "1"]]
    with pytest.raises(SystemExit) as bad:
        main(["report", str(study), "-o", str(tmp_path / "x.html"), "--from", "2023-05-01",
              "--to", "2023-03-01"])
    assert "after --to" in str(bad.value)
    with pytest.raises(SystemExit):
        main(["report", str(study), "-o", str(tmp_path / "y.html"), "--from", "March"])
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "y.html").exists()
