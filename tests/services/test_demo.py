"""The demo project a first-time user sees."""

from __future__ import annotations

from pathlib import Path

from stancemark.services.demo import create_demo_project


def test_demo_project_has_samples_and_a_worked_example(tmp_path: Path) -> None:
    store = create_demo_project(tmp_path / "demo.stancemark")
    try:
        counts = store.counts()
        assert counts["articles"] == 5
        assert counts["actors"] >= 8 and counts["mentions"] >= 15 and counts["claims"] >= 5
        names = {a.name for a in store.actors.all()}
        assert {"Irena Balaš", "Valmora", "River Commission"} <= names
        for article_id in store.articles.ids():
            text = store.articles.get(article_id).text
            for span in [*store.annotations.mentions(article_id),
                         *store.annotations.claims(article_id)]:
                assert text[span.start:span.end] == span.text
                # whole words only: "Ostria" is never tagged inside "Ostrian"
                assert not text[span.end:span.end + 1].isalnum()
        claims = [c for i in store.articles.ids() for c in store.annotations.claims(i)]
        assert all(c.claimant_id and c.category and c.stance is not None for c in claims)
    finally:
        store.close()
    # opening it again does not seed twice
    again = create_demo_project(tmp_path / "demo.stancemark")
    assert again.counts() == counts
    again.close()


def test_demo_registry_gives_the_other_articles_suggestions(tmp_path: Path) -> None:
    from stancemark.services.suggestions import SuggestionService

    store = create_demo_project(tmp_path / "demo.stancemark")
    try:
        service = SuggestionService(store, "demo")
        untagged = [i for i in store.articles.ids() if not store.annotations.mentions(i)]
        assert len(untagged) == 4
        with_actor_suggestions = [
            i for i in untagged
            if any(s.kind == "actor" for s in service.suggestions(i))]
        assert len(with_actor_suggestions) >= 3
    finally:
        store.close()
