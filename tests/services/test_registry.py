"""Registry edits: database contents before and after, and undo restoring them exactly."""

from __future__ import annotations

import pytest

from stancemark.core.errors import ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.registry import RegistryService
from stancemark.store import Store

TABLES = ("actors", "actor_aliases", "mentions", "claims", "actor_sentiments")


def dump(store: Store) -> dict[str, list[tuple]]:
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in TABLES}


TEXT = ("Aleksandar Vučić met Albin Kurti. Vucic said the talks failed. "
        "The Serbian President warned Kurti. Kurti's office replied.")


@pytest.fixture
def world(store: Store):
    art = store.articles.add(ArticleDraft(text=TEXT, title="t"))
    art2 = store.articles.add(ArticleDraft(text="Vučić spoke. Kurti left.", title="u"))
    vucic = store.actors.add("Aleksandar Vučić", "person", aliases=["the Serbian President"])
    vucic2 = store.actors.add("Vucic", "person", aliases=["President Vucic"])
    kurti = store.actors.add("Albin Kurti", "person", aliases=["Kurti"])
    serbia = store.actors.add("Serbia", "country")
    store.actors.update(vucic2, affiliation_id=serbia)
    store.actors.update(serbia, affiliation_id=vucic2)  # odd but legal: must survive a merge
    a = store.annotations
    a.add_mention(art, 0, 16, vucic, "alice")
    a.add_mention(art, 34, 38, vucic2, "alice")
    a.add_mention(art, 21, 32, kurti, "alice")
    a.add_mention(art2, 0, 5, vucic2, "bob")
    a.add_claim(art, 34, 62, "alice", claimant_id=vucic2, target_id=kurti, stance=-1)
    a.add_claim(art, 63, 98, "alice", claimant_id=vucic, target_id=vucic2)
    a.set_sentiment(art, vucic, "alice", -1)
    a.set_sentiment(art, vucic2, "alice", 1)  # conflict with vucic's
    a.set_sentiment(art, vucic2, "bob", 2)  # moves over
    a.set_sentiment(art2, vucic2, "bob", 0)
    return {"art": art, "art2": art2, "vucic": vucic, "vucic2": vucic2, "kurti": kurti,
            "serbia": serbia}


def test_merge_moves_everything_and_undo_restores_exactly(store, world):
    svc = RegistryService(store)
    before = dump(store)
    edit = svc.merge(world["vucic"], world["vucic2"])
    ch = edit.apply(store)
    assert ch.articles == {world["art"], world["art2"]}
    after = dump(store)
    v, g = world["vucic"], world["vucic2"]
    assert not [r for r in after["actors"] if r[0] == g]
    assert all(r[2] != g for r in after["mentions"])
    assert sorted(r[0] for r in after["mentions"] if r[2] == v) == [1, 2, 4]
    assert all(g not in (r[5], r[6]) for r in after["claims"])
    claims = {r[0]: (r[5], r[6]) for r in after["claims"]}
    assert claims == {1: (v, world["kurti"]), 2: (v, v)}
    sent = {(r[0], r[1], r[2]): r[3] for r in after["actor_sentiments"]}
    alice = store.annotator_id("alice")
    bob = store.annotator_id("bob")
    assert sent == {(world["art"], v, alice): -1, (world["art"], v, bob): 2,
                    (world["art2"], v, bob): 0}
    assert edit.result is not None
    assert edit.result.conflicts == [(world["art"], "alice", -1, 1)]
    assert edit.result.mentions == 2 and edit.result.claims == 2
    # the merged actor's name becomes an alias too
    assert store.actors.get(v).aliases == ["the Serbian President", "Vucic", "President Vucic"]
    assert edit.result.aliases_added == ["Vucic", "President Vucic"]
    assert store.actors.get(world["serbia"]).affiliation_id == v

    edit.revert(store)
    assert dump(store) == before
    edit.apply(store)
    assert dump(store) == after
    edit.revert(store)
    assert dump(store) == before


def test_merge_into_itself_is_refused(store, world):
    with pytest.raises(ValidationError):
        RegistryService(store).merge(world["kurti"], world["kurti"])


def test_split_alias_moves_matching_mentions_and_undo_restores(store, world):
    svc = RegistryService(store)
    art = world["art"]
    m = store.annotations.add_mention(art, 63, 84, world["vucic"], "alice")
    assert m.text == "The Serbian President"
    assert svc.movable_mentions(world["vucic"], "the Serbian President") == 1
    before = dump(store)
    edit = svc.split(world["vucic"], "the Serbian President", new_name="Serbian presidency")
    edit.apply(store)
    new = store.actors.by_name("Serbian presidency")
    assert new is not None and new.id == edit.new_id
    assert new.aliases == ["the Serbian President"] and new.type == "person"
    assert store.actors.get(world["vucic"]).aliases == []
    assert store.annotations.mention(m.id).actor_id == new.id
    assert edit.moved == 1
    after = dump(store)
    edit.revert(store)
    assert dump(store) == before
    edit.apply(store)
    after2 = dump(store)
    assert [r[:4] for r in after2["actors"]] == [r[:4] for r in after["actors"]]
    edit.revert(store)
    assert dump(store) == before


def test_split_without_moving_mentions(store, world):
    svc = RegistryService(store)
    edit = svc.split(world["kurti"], "Kurti", move_mentions=False)
    edit.apply(store)
    assert store.actors.by_name("Kurti").name == "Kurti"
    assert all(m.actor_id != edit.new_id for m in store.annotations.mentions(world["art"]))


def test_split_unknown_alias_refused(store, world):
    with pytest.raises(ValidationError, match="not an alias"):
        RegistryService(store).split(world["kurti"], "Albin")


def test_rename_and_edit_undo_exactly(store, world):
    svc = RegistryService(store)
    before = dump(store)
    edit = svc.rename(world["kurti"], "  Albin   Kurti Jr ")
    edit.apply(store)
    assert store.actors.get(world["kurti"]).name == "Albin Kurti Jr"
    edit.revert(store)
    assert dump(store) == before
    with pytest.raises(ValidationError, match="already an actor"):
        svc.rename(world["kurti"], "Serbia")
    edit = svc.edit(world["kurti"], actor_type="government", affiliation_id=world["serbia"],
                    aliases=["Kurti", "PM Kurti", "albin kurti", "Kurti"], note="PM")
    edit.apply(store)
    a = store.actors.get(world["kurti"])
    assert (a.type, a.affiliation_id, a.aliases, a.note) == (
        "government", world["serbia"], ["Kurti", "PM Kurti"], "PM")
    edit.revert(store)
    assert dump(store) == before


def test_edit_refuses_affiliation_cycle_and_unknown_type(store, world):
    svc = RegistryService(store)
    with pytest.raises(ValidationError, match="affiliated"):
        svc.edit(world["serbia"], affiliation_id=world["serbia"])
    with pytest.raises(ValidationError, match="affiliated"):
        svc.edit(world["vucic2"], affiliation_id=world["serbia"])  # serbia -> vucic2
    with pytest.raises(ValidationError, match="actor type"):
        svc.edit(world["kurti"], actor_type="wizard")


def test_delete_reports_usage_and_undo_restores(store, world):
    svc = RegistryService(store)
    plan = svc.delete_plan(world["vucic2"])
    assert (plan.mentions, plan.claims, plan.sentiments, plan.affiliated) == (2, 2, 3, 1)
    assert plan.question().startswith("Delete Vucic and its 2 mentions, 2 claims, 3 portrayals?")
    before = dump(store)
    edit = svc.delete(world["vucic2"])
    edit.apply(store)
    assert store.actors.by_name("Vucic") is None or store.actors.by_name("Vucic").id != \
        world["vucic2"]
    assert store.conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 2
    edit.revert(store)
    assert dump(store) == before
    assert not svc.delete_plan(world["serbia"]).in_use or svc.delete_plan(
        world["serbia"]).affiliated == 1


def test_listing_counts(store, world):
    rows = {r.name: r for r in RegistryService(store).listing()}
    v2 = rows["Vucic"]
    assert (v2.mentions, v2.claims, v2.articles) == (2, 2, 2)
    assert v2.affiliation == "Serbia" and v2.aliases == ["President Vucic"]
    k = rows["Albin Kurti"]
    assert (k.mentions, k.claims, k.articles) == (1, 1, 1)
    assert (rows["Serbia"].mentions, rows["Serbia"].articles) == (0, 0)
    # claims count roles: a claim about its own claimant counts as claimant and as target
    store.annotations.add_claim(world["art2"], 0, 12, "bob", claimant_id=world["kurti"],
                                target_id=world["kurti"])
    k = {r.name: r for r in RegistryService(store).listing()}["Albin Kurti"]
    assert (k.claims, k.articles) == (3, 2)
