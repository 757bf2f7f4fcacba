"""Every edit applies, reverts and re-applies leaving the database exactly as expected."""

from __future__ import annotations

import pytest

from stancemark.core.errors import ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.annotation import AnnotationService

TABLES = ("actors", "actor_aliases", "mentions", "claims", "article_sentiments",
          "actor_sentiments", "articles")


def dump(store) -> dict[str, list[tuple]]:
    out = {}
    for t in TABLES:
        cols = [r[1] for r in store.conn.execute(f"PRAGMA table_info({t})")
                if r[1] not in ("updated_at",)]
        out[t] = store.conn.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1").fetchall()
    return out


TEXT = ("Prime Minister Albin Kurti said on Monday that Belgrade 😀 was stoking tensions.\n\n"
        "Serbian President Aleksandar Vučić rejected the claim.")


@pytest.fixture
def svc(store) -> AnnotationService:
    store.articles.add(ArticleDraft(text=TEXT, title="Talks"))
    return AnnotationService(store, "alice")


def span(piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(piece, start + 1)
    return start, start + len(piece)


def roundtrip(store, edit) -> None:
    before = dump(store)
    edit.apply(store)
    after = dump(store)
    assert after != before
    edit.revert(store)
    assert dump(store) == before
    edit.apply(store)
    assert dump(store) == after
    edit.revert(store)
    assert dump(store) == before
    edit.apply(store)


def test_tag_new_actor_is_one_undo_step(svc) -> None:
    store = svc.store
    edit = svc.tag_new_actor(1, *span("Albin Kurti"), "Albin Kurti", "person")
    assert edit.text == "Tag 'Albin Kurti' as new actor Albin Kurti"
    roundtrip(store, edit)
    [m] = store.annotations.mentions(1)
    assert (m.text, store.actors.get(m.actor_id).name, m.annotator) == \
        ("Albin Kurti", "Albin Kurti", "alice")


def test_mention_span_after_emoji_keeps_text(svc) -> None:
    store = svc.store
    actor = store.actors.add("Aleksandar Vučić", "person")
    edit = svc.tag_actor(1, *span("Vučić"), actor)
    roundtrip(store, edit)
    [m] = store.annotations.mentions(1)
    assert TEXT[m.start:m.end] == m.text == "Vučić"


def test_claim_guesses_nearest_earlier_mention_in_paragraph(svc) -> None:
    store = svc.store
    kurti = store.actors.add("Albin Kurti", "person")
    vucic = store.actors.add("Aleksandar Vučić", "person")
    store.annotations.add_mention(1, *span("Albin Kurti"), kurti, "alice")
    store.annotations.add_mention(1, *span("Aleksandar Vučić"), vucic, "alice")
    edit = svc.add_claim(1, *span("Belgrade 😀 was stoking tensions"), category="security",
                         stance=-1)
    roundtrip(store, edit)
    [c] = store.annotations.claims(1)
    assert c.claimant_id == kurti
    # second paragraph: the claim text itself opens with its speaker
    edit2 = svc.add_claim(1, *span("rejected the claim"))
    edit2.apply(store)
    assert store.annotations.claims(1)[1].claimant_id == vucic


def test_update_and_delete_claim_restore_exactly(svc) -> None:
    store = svc.store
    kurti = store.actors.add("Albin Kurti", "person")
    svc.add_claim(1, *span("Belgrade 😀 was stoking tensions"), claimant_id=kurti).apply(store)
    [c] = store.annotations.claims(1)
    roundtrip(store, svc.update_claim(c, stance=-2, category="diplomacy", note="firm"))
    assert store.annotations.claim(c.id).stance == -2
    roundtrip(store, svc.delete_claim(store.annotations.claim(c.id)))
    assert store.annotations.claims(1) == []


def test_sentiment_and_status_edits(svc) -> None:
    store = svc.store
    kurti = store.actors.add("Albin Kurti", "person")
    roundtrip(store, svc.set_article_sentiment(1, -1))
    roundtrip(store, svc.set_actor_sentiment(1, kurti, 2))
    assert store.annotations.sentiment(1, None, "alice") == -1
    assert store.annotations.sentiment(1, kurti, "alice") == 2
    edit = svc.set_status(1, "done")
    assert edit.text == "Mark article done"
    roundtrip(store, edit)
    assert store.articles.status(1) == "done"


def test_values_off_the_scale_and_bad_spans_are_refused(svc) -> None:
    store = svc.store
    with pytest.raises(ValidationError, match="scale"):
        svc.set_article_sentiment(1, 7).apply(store)
    with pytest.raises(ValidationError, match="outside the article"):
        svc.add_claim(1, 5, 10_000)
    with pytest.raises(ValidationError, match="already an actor"):
        store.actors.add("Albin Kurti", "person")
        svc.tag_new_actor(1, *span("Albin Kurti"), "albin kurti", "person")
    assert store.annotations.claims(1) == []


def test_find_actors_folds_diacritics_and_aliases(svc) -> None:
    store = svc.store
    store.actors.add("Aleksandar Vučić", "person", aliases=["the Serbian President"])
    store.actors.add("Albin Kurti", "person")
    store.actors.add("Kurtis Blow", "person")
    assert [a.name for a in svc.find_actors("alek")] == ["Aleksandar Vučić"]
    assert [a.name for a in svc.find_actors("VUČ")] == ["Aleksandar Vučić"]
    assert [a.name for a in svc.find_actors("vucic")] == ["Aleksandar Vučić"]
    assert [a.name for a in svc.find_actors("serbian pres")] == ["Aleksandar Vučić"]
    assert [a.name for a in svc.find_actors("al")] == ["Albin Kurti", "Aleksandar Vučić"]
    # name prefix first, then substring
    assert [a.name for a in svc.find_actors("kurti")] == ["Kurtis Blow", "Albin Kurti"]
    assert svc.find_actors("zzz") == []


def test_the_same_mention_twice_is_refused(svc) -> None:
    store = svc.store
    actor = store.actors.add("Albin Kurti", "person")
    svc.tag_actor(1, *span("Albin Kurti"), actor).apply(store)
    with pytest.raises(ValidationError, match="already tagged"):
        svc.tag_actor(1, *span("Albin Kurti"), actor).apply(store)
    assert len(store.annotations.mentions(1)) == 1
    # another annotator may tag it too: their work is kept apart
    AnnotationService(store, "bob").tag_actor(1, *span("Albin Kurti"), actor).apply(store)
    assert len(store.annotations.mentions(1)) == 2


def test_new_actor_as_claimant_is_one_undo_step(svc) -> None:
    store = svc.store
    svc.add_claim(1, *span("Belgrade 😀 was stoking tensions"), claimant_id=None).apply(store)
    [claim] = store.annotations.claims(1)
    edit = svc.set_claim_actor_new(claim, "claimant", "Office of the Prime Minister",
                                   "government")
    assert edit.text == ("Set claimant of claim 'Belgrade 😀 was stoking tensions' to new "
                         "actor Office of the Prime Minister")
    roundtrip(store, edit)
    actor = store.actors.by_name("Office of the Prime Minister")
    assert actor is not None and actor.type == "government"
    assert store.annotations.claim(claim.id).claimant_id == actor.id
    with pytest.raises(ValidationError, match="already an actor"):
        svc.set_claim_actor_new(claim, "target", "office of the prime minister", None)


def test_claimant_guess_follows_the_reporting_verb_not_the_nearest_name(store) -> None:
    text = ("Irena Balaš accused Pavel Ruden of tolerating the blockade at the port.\n"
            "“The gates were chained shut while police watched,” said Mira Hollen.\n"
            "Later Pavel Ruden toured the harbour with the mayor.\n")
    art = store.articles.add(ArticleDraft(text=text, title="t"))
    svc = AnnotationService(store, "alice")
    ids = {}
    for name in ("Irena Balaš", "Pavel Ruden", "Mira Hollen"):
        ids[name] = store.actors.add(name, "person")
        s = -1
        while (s := text.find(name, s + 1)) != -1:
            store.annotations.add_mention(art, s, s + len(name), ids[name], "alice")
    # "X accused Y of …": the accuser, though the accused is the nearer name
    s = text.index("of tolerating")
    assert svc.guess_claimant(art, s, text.index(" at the port")) == ids["Irena Balaš"]
    # a quotation attributed after it, with nobody named before it in the paragraph
    q = text.index("The gates")
    assert svc.guess_claimant(art, q, text.index(",” said")) == ids["Mira Hollen"]
    # no reported speech: the nearest mention before, as before
    assert svc.guess_claimant(art, text.index("toured")) == ids["Pavel Ruden"]


def test_claimant_guess_is_right_on_most_of_the_hand_tagged_corpus() -> None:
    from tests.benchmarks.bench_suggest import claimant_guess

    assert claimant_guess()["accuracy"] >= 0.85


def test_a_mention_cannot_cross_a_paragraph(store) -> None:
    from stancemark.core.errors import ValidationError

    text = "Albin\nKurti spoke."
    art = store.articles.add(ArticleDraft(text=text, title="t"))
    kurti = store.actors.add("Albin Kurti", "person")
    svc = AnnotationService(store, "alice")
    with pytest.raises(ValidationError, match="paragraph"):
        svc.tag_actor(art, 0, 11, kurti)
    with pytest.raises(ValidationError, match="paragraph"):
        svc.tag_new_actor(art, 0, 11, "Albin Kurti", "person")


def test_a_new_name_for_a_known_actor_becomes_an_alias_in_the_same_step(store) -> None:
    from stancemark.services.session import Session

    text = "Vučić spoke. Later the president left. Vucic came back."
    art = store.articles.add(ArticleDraft(text=text, title="t"))
    actor = store.actors.add("Aleksandar Vučić", "person")
    session = Session(store, "alice")
    svc = session.service
    session.perform(svc.tag_actor(art, 0, 5, actor))
    assert store.actors.get(actor).aliases == ["Vučić"]
    # a spelling that folds to a known name, or a lower-case phrase, teaches nothing
    session.perform(svc.tag_actor(art, text.index("Vucic"), text.index("Vucic") + 5, actor))
    session.perform(svc.tag_actor(art, text.index("the president"),
                                  text.index("the president") + 13, actor))
    assert store.actors.get(actor).aliases == ["Vučić"]
    session.undo()
    session.undo()
    session.undo()  # the mention and the alias go together
    assert store.actors.get(actor).aliases == [] and store.counts()["mentions"] == 0
