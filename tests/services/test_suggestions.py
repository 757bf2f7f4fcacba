"""Suggestion service: listing, accepting (one undo step), dismissing for good."""

from __future__ import annotations

import pytest

from stancemark.core.models import ArticleDraft
from stancemark.services.session import Session
from stancemark.services.suggestions import SuggestionService, apply_actor_suggestions

TEXT = ("VUČIĆ met Kurti in Brussels. Vucic said “we will never recognise Kosovo, never,” "
        "while Albin Kurti's team left. Kurtis and Kurtić are other people.\n"
        "Kurti told reporters the talks had failed.")


@pytest.fixture
def setup(store):
    art = store.articles.add(ArticleDraft(text=TEXT, title="t"))
    vucic = store.actors.add("Aleksandar Vučić", "person", aliases=["Vučić"])
    kurti = store.actors.add("Albin Kurti", "person", aliases=["Kurti"])
    kosovo = store.actors.add("Kosovo", "country")
    return store, art, vucic, kurti, kosovo


def dump(store):
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in ("mentions", "claims", "dismissed_suggestions")}


def test_actor_suggestions_fold_case_and_diacritics_whole_words(setup):
    store, art, vucic, kurti, kosovo = setup
    sugg = SuggestionService(store, "alice").suggestions(art, ["actor"])
    got = [(s.text, s.actor_id) for s in sugg]
    assert got == [("VUČIĆ", vucic), ("Kurti", kurti), ("Vucic", vucic), ("Kosovo", kosovo),
                   ("Albin Kurti", kurti), ("Kurti", kurti)]
    for s in sugg:
        assert TEXT[s.start:s.end] == s.text


def test_existing_mentions_hide_overlapping_suggestions(setup):
    store, art, vucic, kurti, _ = setup
    start = TEXT.index("Albin Kurti")
    store.annotations.add_mention(art, start + 6, start + 11, kurti, "bob")  # "Kurti" only
    texts = [s.text for s in SuggestionService(store, "alice").suggestions(art, ["actor"])]
    assert "Albin Kurti" not in texts and texts.count("Kurti") == 2


def test_accept_all_is_one_undo_step(setup):
    store, art, *_ = setup
    svc = SuggestionService(store, "alice")
    before = dump(store)
    edit = svc.accept_all(art, "actor")
    assert edit.text == "Accept 6 suggested actors"
    edit.apply(store)
    assert len(store.annotations.mentions(art)) == 6
    assert svc.suggestions(art, ["actor"]) == []
    edit.revert(store)
    assert dump(store) == before
    edit.apply(store)
    assert len(store.annotations.mentions(art)) == 6


def test_dismissed_stay_dismissed_and_undo(setup):
    store, art, *_ = setup
    svc = SuggestionService(store, "alice")
    first = svc.suggestions(art, ["actor"])[0]
    edit = svc.dismiss(art, [first])
    edit.apply(store)
    assert first not in svc.suggestions(art, ["actor"])
    # a new service (project reopened) still hides it
    assert first not in SuggestionService(store, "bob").suggestions(art, ["actor"])
    assert len(svc.suggestions(art, ["actor"])) == 5
    edit.revert(store)
    assert first in svc.suggestions(art, ["actor"])


def test_matcher_follows_registry_changes(setup):
    store, art, vucic, *_ = setup
    svc = SuggestionService(store, "alice")
    assert not any(s.text == "Brussels" for s in svc.suggestions(art, ["actor"]))
    store.actors.add("Brussels", "government")
    assert any(s.text == "Brussels" for s in svc.suggestions(art, ["actor"]))
    store.actors.set_aliases(vucic, [])
    assert not any(s.text == "VUČIĆ" for s in svc.suggestions(art, ["actor"]))


def test_claim_suggestions_prefill_claimant(setup):
    store, art, vucic, kurti, _ = setup
    svc = SuggestionService(store, "alice")
    claims = svc.suggestions(art, ["claim"])
    by_text = {s.text: s for s in claims}
    quote = by_text["we will never recognise Kosovo, never"]
    assert quote.actor_id == vucic and quote.reason == "quote"
    told = by_text["Kurti told reporters the talks had failed."]
    assert told.actor_id == kurti
    edit = svc.accept(art, quote)
    edit.apply(store)
    assert store.annotations.claims(art)[0].claimant_id == vucic
    assert all(s.text != quote.text for s in svc.suggestions(art, ["claim"]))
    dis = svc.dismiss(art, [told])
    dis.apply(store)
    assert svc.suggestions(art, ["claim"]) == []


def test_apply_actor_suggestions_in_bulk(setup):
    store, art, *_ = setup
    art2 = store.articles.add(ArticleDraft(text="Nothing here.", title="u"))
    session = Session(store, "bot")
    assert apply_actor_suggestions(session, [art, art2]) == {art: 6, art2: 0}
    assert apply_actor_suggestions(session, [art, art2]) == {art: 0, art2: 0}
    # the session's rule: the article that got mentions is in progress, the other stays new
    assert store.articles.status(art) == "in_progress"
    assert store.articles.status(art2) == "new"
    assert {m.annotator for m in store.annotations.mentions(art)} == {"bot"}
    # and the whole article's worth is one undo step
    session.undo()
    assert store.counts()["mentions"] == 0 and store.articles.status(art) == "new"


def test_cli_suggest_lists_and_applies(tmp_path, capsys):
    import json

    from stancemark.cli import main
    from stancemark.store import open_project

    path = tmp_path / "p.stancemark"
    with open_project(path, create=True) as s:
        art = s.articles.add(ArticleDraft(text=TEXT, title="t"))
        s.actors.add("Aleksandar Vučić", "person", aliases=["Vučić"])
        s.actors.add("Albin Kurti", "person", aliases=["Kurti"])
        uid = s.articles.get(art).uid
    assert main(["suggest", str(path), "--kind", "actors"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 5 and {x["kind"] for x in lines} == {"actor"}
    assert lines[0] == {"article": uid, "article_id": art, "kind": "actor", "start": 0,
                        "end": 5, "text": "VUČIĆ", "actor": "Aleksandar Vučić", "actor_id": 1}
    assert main(["suggest", str(path), "--kind", "claims", "--article", str(art)]) == 0
    claims = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {c["claimant"] for c in claims} == {"Aleksandar Vučić", "Albin Kurti"}
    assert main(["suggest", str(path), "--apply"]) == 1
    assert "--annotator" in capsys.readouterr().err
    assert main(["suggest", str(path), "--apply", "--annotator", "bot"]) == 0
    assert "added 5 mention(s) in 1 of 1 article(s) as bot" in capsys.readouterr().err
    # the command line follows the session's rule: the tagged article is in progress
    assert main(["articles", str(path), "--status", "in_progress", "--json"]) == 0
    assert [json.loads(x)["id"] for x in capsys.readouterr().out.splitlines()] == [art]
    assert main(["suggest", str(path), "--kind", "actors"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["actors", str(path), "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["name"], r["mentions"]) for r in rows] == [("Albin Kurti", 3),
                                                         ("Aleksandar Vučić", 2)]
    assert main(["suggest", str(path), "--article", "42"]) == 1
    assert "There is no article 42" in capsys.readouterr().err


def test_swapping_an_alias_for_one_of_the_same_length_refreshes_suggestions() -> None:
    from stancemark.core.models import ArticleDraft
    from stancemark.services.registry import RegistryService
    from stancemark.services.suggestions import SuggestionService
    from stancemark.store import memory_project

    store = memory_project()
    aid = store.articles.add(ArticleDraft(text="Foo said hello. Bar said bye."))
    actor = store.actors.add("Alpha Person", "person", aliases=["Foo"])
    service = SuggestionService(store, "alice")
    assert [s.text for s in service.suggestions(aid, ("actor",))] == ["Foo"]
    RegistryService(store).edit(actor, aliases=["Bar"]).apply(store)
    assert [s.text for s in service.suggestions(aid, ("actor",))] == ["Bar"]
    store.close()


NEWS = ("Kurti met Senator Wilma Ostrander in Pristina.\n"
        "“The border stays open,” Ostrander said after the talks.")


def test_new_actors_are_listed_only_when_asked_for(store):
    art = store.articles.add(ArticleDraft(text=NEWS, title="t"))
    store.actors.add("Albin Kurti", "person", aliases=["Kurti"])
    svc = SuggestionService(store, "alice")
    assert all(s.kind != "new_actor" for s in svc.suggestions(art))
    new = svc.suggestions(art, ["new_actor"])
    assert [(s.text, s.actor_type) for s in new] == [("Wilma Ostrander", "person"),
                                                     ("Ostrander", "person")]
    assert "title 'Senator'" in new[0].reason
    assert all(NEWS[s.start:s.end] == s.text for s in new)


def test_accepting_a_new_actor_creates_and_tags_it_in_one_undo_step(store):
    art = store.articles.add(ArticleDraft(text=NEWS, title="t"))
    svc = SuggestionService(store, "alice")
    before = dump(store)
    first = svc.suggestions(art, ["new_actor"])[0]
    edit = svc.accept(art, first)
    edit.apply(store)
    created = [a for a in store.actors.all() if a.name == "Wilma Ostrander"]
    assert len(created) == 1 and created[0].type == "person"
    assert [(m.start, m.end) for m in store.annotations.mentions(art)] == [
        (first.start, first.end)]
    # now a known actor: suggested as one, and its surname with it
    assert [s.text for s in svc.suggestions(art, ["new_actor"])] == []
    assert "Wilma Ostrander" not in [s.text for s in svc.suggestions(art, ["actor"])]
    edit.revert(store)
    assert dump(store) == before
    assert not any(a.name == "Wilma Ostrander" for a in store.actors.all())


def test_a_dismissed_new_actor_is_learnt_across_articles(store):
    art = store.articles.add(ArticleDraft(text=NEWS, title="t"))
    other = store.articles.add(ArticleDraft(text="Aid arrived, Senator Wilma Ostrander said.",
                                            title="u"))
    svc = SuggestionService(store, "alice")
    first = svc.suggestions(art, ["new_actor"])[0]
    svc.dismiss(art, [first]).apply(store)
    assert first not in svc.suggestions(art, ["new_actor"])
    assert "Wilma Ostrander" not in [s.text for s in svc.suggestions(other, ["new_actor"])]
    # the project remembers it when reopened
    again = SuggestionService(store, "bob")
    assert "Wilma Ostrander" not in [s.text for s in again.suggestions(other, ["new_actor"])]


def test_claims_use_actor_types_for_pronouns(store):
    text = ("Kurti spoke to the Border Agency.\n"
            "The agency said the crossing would reopen. He said it was too late.")
    art = store.articles.add(ArticleDraft(text=text, title="t"))
    kurti = store.actors.add("Albin Kurti", "person", aliases=["Kurti"])
    agency = store.actors.add("Border Agency", "organisation")
    got = [(s.text, s.actor_id) for s in SuggestionService(store, "a").suggestions(art, ["claim"])]
    assert got == [("The agency said the crossing would reopen.", agency),
                   ("He said it was too late.", kurti)]


def test_the_cached_scan_follows_text_and_registry(store):
    a = store.articles.add(ArticleDraft(text="Kurti spoke.", title="a"))
    b = store.articles.add(ArticleDraft(text="Vučić spoke.", title="b"))
    store.actors.add("Albin Kurti", "person", aliases=["Kurti"])
    svc = SuggestionService(store, "alice")
    assert [s.text for s in svc.suggestions(a, ["actor"])] == ["Kurti"]
    assert [s.text for s in svc.suggestions(b, ["actor"])] == []
    store.actors.add("Aleksandar Vučić", "person", aliases=["Vučić"])
    assert [s.text for s in svc.suggestions(b, ["actor"])] == ["Vučić"]
    assert [s.text for s in svc.suggestions(a, ["actor"])] == ["Kurti"]


def test_listed_suggestions_are_ordinary_frozen_suggestions(setup):
    import dataclasses

    from stancemark.services.suggestions import ALL_KINDS, Suggestion

    store, art, *_ = setup
    listed = SuggestionService(store, "ana").suggestions(art, ALL_KINDS)
    assert {s.kind for s in listed} >= {"actor", "claim"}
    for s in listed:  # made by the fast path, equal to the constructor's
        made = Suggestion(**{f.name: getattr(s, f.name) for f in dataclasses.fields(s)})
        assert s == made and hash(s) == hash(made) and repr(s) == repr(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        listed[0].start = 3  # type: ignore[misc]
