"""Adjudication end to end: three coders curated to 100 %, every decision undone and redone,
re-runs that keep the curator's decisions, gold as an ordinary annotator, and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.core.errors import NotFoundError, ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.adjudication import Curation, CurationUnit
from stancemark.services.exchange import export_project, merge_set
from stancemark.services.session import Session
from stancemark.store import Store, memory_project, open_project

T1 = "Kurti said the talks would resume. Vucic answered that the bridge will open soon."
T2 = "The minister said that prices will fall. Unions disagreed with the minister."
CODERS = ["alice", "bojan", "chen"]


def fill(store: Store) -> dict[str, int]:
    """Two articles, three coders; chen never opened the second one."""
    a1 = store.articles.add(ArticleDraft(text=T1, title="One"))
    a2 = store.articles.add(ArticleDraft(text=T2, title="Two"))
    kurti = store.actors.add("Kurti", "person")
    vucic = store.actors.add("Vucic", "person")
    minister = store.actors.add("Minister", "person")
    ann = store.annotations
    for who, stance, actor, tone in (("alice", 1, vucic, 1), ("bojan", 1, vucic, 2),
                                     ("chen", 0, kurti, 0)):
        ann.add_mention(a1, 0, 5, kurti, who)                       # all agree
        ann.add_mention(a1, 35, 40, actor, who)                     # 2 : 1 on the actor
        ann.add_claim(a1, 0, 34, who, claimant_id=kurti, category="politics",
                      stance=stance)                                # 2 : 1 on the stance
        ann.set_sentiment(a1, None, who, -1)                        # all agree
        ann.set_sentiment(a1, kurti, who, tone)                     # nobody agrees
    ann.add_claim(a1, 35, 80, "alice", claimant_id=vucic, category="diplomacy",
                  stance=-1)                                        # only alice
    for who in ("alice", "bojan"):
        ann.add_claim(a2, 0, 40, who, claimant_id=minister, category="economy", stance=0)
    ann.add_mention(a2, 4, 12, minister, "alice")                   # 1 : 1 (chen absent)
    return {"a1": a1, "a2": a2, "kurti": kurti, "vucic": vucic, "minister": minister}


@pytest.fixture
def curated():
    store = memory_project()
    ids = fill(store)
    session = Session(store, "maria")  # the curator; the gold set is "gold"
    yield Curation(session, CODERS), ids
    store.close()


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row that adjudication may touch (``updated_at`` aside, which records touches)."""
    return {
        "mentions": store.conn.execute(
            "SELECT id, article_id, actor_id, start_offset, end_offset, annotator_id, created_at "
            "FROM mentions ORDER BY id").fetchall(),
        "claims": store.conn.execute(
            "SELECT id, article_id, start_offset, end_offset, claimant_id, target_id, category, "
            "stance, note, annotator_id, created_at FROM claims ORDER BY id").fetchall(),
        "sentiments": store.conn.execute(
            "SELECT article_id, NULL, annotator_id, value, created_at FROM article_sentiments "
            "UNION ALL SELECT article_id, actor_id, annotator_id, value, created_at "
            "FROM actor_sentiments ORDER BY 1, 2, 3").fetchall(),
        "adjudications": store.conn.execute(
            "SELECT * FROM adjudications ORDER BY id").fetchall(),
    }


def unit(c: Curation, article: int, layer: str, start: int | None = None) -> CurationUnit:
    return next(u for u in c.units([article]) if u.layer == layer
                and (start is None or u.start == start))


def test_units_carry_every_coders_version_and_who_marked_nothing(curated) -> None:
    c, ids = curated
    units = c.units()
    assert len(units) == 8
    assert c.progress().total == 8 and c.progress().decided == 0
    claim = unit(c, ids["a1"], "claims", 35)
    assert list(claim.versions) == ["alice"] and claim.silent == ("bojan", "chen")
    mention = unit(c, ids["a1"], "mentions", 35)
    groups = mention.groups()
    assert [who for _, who in groups] == [("alice", "bojan"), ("chen",)]
    assert c.describe(groups[0][0]) == "Vucic"
    # chen never coded article 2: no vote there, not even "nothing marked"
    assert unit(c, ids["a2"], "mentions").silent == ("bojan",)
    assert [u.article_id for u in units] == sorted(u.article_id for u in units)


def test_three_coders_curated_to_100_percent_and_every_decision_is_reversible(curated) -> None:
    c, ids = curated
    store = c.store
    session = c.session
    before = snapshot(store)
    states = [before]

    report = c.run_automatic("majority")
    # unanimous Kurti mention and article sentiment; majority mention, claim 0-34, claim of
    # article 2; alice's lone claim closed (two of three coded the article, marked nothing)
    assert len(report.accepted) == 5 and len(report.closed) == 1 and report.kept == 0
    assert {(u.layer, u.article_id) for u in report.left} == {
        ("actor_sentiment", ids["a1"]), ("mentions", ids["a2"])}  # no agreement; a 1 : 1 tie
    assert report.progress.decided == 6 and report.progress.total == 8
    states.append(snapshot(store))

    gold_claim = next(x for x in store.annotations.claims(ids["a1"], "gold") if x.start == 0)
    assert gold_claim.stance == 1 and gold_claim.category == "politics"
    decision = unit(c, ids["a1"], "claims", 0).decision
    assert decision is not None and decision.decided_by == "auto:majority"
    assert set(decision.sources) == {"alice", "bojan"} and decision.claim_id == gold_claim.id

    left = {u.layer: u for u in c.undecided(ids["a1"]) + c.undecided(ids["a2"])}
    assert set(left) == {"actor_sentiment", "mentions"}
    # the curator edits chen's actor sentiment (+0 -> +1) and rejects alice's lone mention
    c.edit(left["actor_sentiment"], "chen", value=1)
    states.append(snapshot(store))
    c.reject(left["mentions"])
    states.append(snapshot(store))

    progress = c.progress()
    assert progress.percent == 100.0 and progress.decided == progress.total == 8
    assert (progress.accepted, progress.edited, progress.rejected) == (5, 1, 2)
    assert store.annotations.sentiment(ids["a1"], ids["kurti"], "gold") == 1
    assert store.annotations.mentions(ids["a2"], "gold") == []
    rejected = unit(c, ids["a2"], "mentions").decision
    assert rejected is not None and rejected.outcome == "rejected"

    # every decision undoes, step by step, back to the project as it was; redo replays it
    for expected in reversed(states[:-1]):
        assert session.undo() is not None
        assert snapshot(store) == expected
    assert not session.can_undo and c.progress().decided == 0
    for expected in states[1:]:
        assert session.redo() is not None
        assert snapshot(store) == expected
    assert c.progress().percent == 100.0


def test_accept_and_reopen_are_edits_too(curated) -> None:
    c, ids = curated
    before = snapshot(c.store)
    mention = unit(c, ids["a1"], "mentions", 35)
    change = c.accept(mention, "chen")
    assert ids["a1"] in change.articles and "mentions" in change.kinds
    gold = c.store.annotations.mentions(ids["a1"], "gold")
    assert [(m.start, m.end, m.actor_id) for m in gold] == [(35, 40, ids["kurti"])]
    decided = unit(c, ids["a1"], "mentions", 35)
    assert decided.decision is not None and decided.decision.sources == {
        "chen": mention.versions["chen"].annotation_id}
    assert decided.decision.decided_by == "maria" and not decided.decision.automatic
    with pytest.raises(ValidationError, match="already decided"):
        c.reject(decided)
    after_accept = snapshot(c.store)
    c.reopen(decided)
    assert c.store.annotations.mentions(ids["a1"], "gold") == []
    assert not unit(c, ids["a1"], "mentions", 35).decided
    c.session.undo()
    assert snapshot(c.store) == after_accept
    c.session.undo()
    assert snapshot(c.store) == before


def test_rerunning_the_automatic_step_keeps_the_curators_decisions(curated) -> None:
    c, ids = curated
    store = c.store
    first = c.run_automatic("unanimous")
    assert len(first.accepted) == 2  # the Kurti mention and the article sentiment
    # before a majority run, the curator overrules it twice
    c.accept(unit(c, ids["a1"], "mentions", 35), "chen")      # majority would take Vucic
    c.reject(unit(c, ids["a1"], "claims", 0))                 # majority would accept it
    decided = snapshot(store)["adjudications"]

    second = c.run_automatic("majority")
    assert second.kept == 4
    assert {(u.layer, u.start) for u in second.accepted} == {("claims", 0)}  # article 2's
    assert [u.article_id for u in second.accepted] == [ids["a2"]]
    assert snapshot(store)["adjudications"][:len(decided)] == decided
    gold35 = [m for m in store.annotations.mentions(ids["a1"], "gold") if m.start == 35]
    assert [m.actor_id for m in gold35] == [ids["kurti"]]  # chen's, once
    assert not [x for x in store.annotations.claims(ids["a1"], "gold") if x.start == 0]

    # a third run, of any strategy, finds nothing new and makes no undo step
    rows = snapshot(store)
    steps = c.session.undo_text
    third = c.run_automatic("min:1")
    assert third.accepted == [] and third.closed == [] and snapshot(store) == rows
    assert c.session.undo_text == steps
    assert len(store.annotations.mentions(ids["a1"], "gold")) == 2


def test_a_decision_survives_a_coder_changing_the_unit(curated) -> None:
    c, ids = curated
    store = c.store
    c.run_automatic("majority")
    # chen moves his mention a little and bojan adds one elsewhere: the unit's name changes,
    # it still shares annotations with the decision, so it stays decided and gold is kept
    chen = next(m for m in store.annotations.mentions(ids["a1"], "chen") if m.start == 35)
    store.annotations.update_mention(chen.id, end=39)
    store.annotations.add_mention(ids["a1"], 59, 65, ids["vucic"], "bojan")
    mention = unit(c, ids["a1"], "mentions", 35)
    assert mention.decided
    assert len([m for m in store.annotations.mentions(ids["a1"], "gold")
                if m.start == 35]) == 1
    again = c.run_automatic("majority")
    assert [u.start for u in again.left if u.layer == "mentions"] == [4]
    assert [(u.layer, u.start) for u in again.closed] == [("mentions", 59)]


def test_gold_exports_and_merges_like_any_annotator(curated, tmp_path: Path) -> None:
    c, ids = curated
    c.run_automatic("majority")
    out = tmp_path / "set.jsonl"
    export_project(c.store, "jsonl", out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    gold = [x for x in lines if x.get("annotator") == "gold"]
    assert {x["article"]["title"] for x in gold} == {"One", "Two"}
    one = next(x for x in gold if x["article"]["title"] == "One")
    assert len(one["mentions"]) == 2 and one["sentiment"]["article"] == -1
    target = tmp_path / "other.stancemark"
    with open_project(target, create=True) as other:
        merge_set(other, out, backup=False)
        assert "gold" in other.annotators()


def test_refusals(curated) -> None:
    c, ids = curated
    with pytest.raises(ValidationError, match="one of the annotators"):
        Curation(c.session, ["alice", "gold"])
    with pytest.raises(ValidationError, match="at least two"):
        Curation(c.session, ["alice"])
    with pytest.raises(NotFoundError, match="eve"):
        Curation(c.session, ["alice", "eve"])
    with pytest.raises(ValidationError, match="needs a name"):
        Curation(c.session, CODERS, " ")
    with pytest.raises(ValidationError, match="strategy"):
        c.run_automatic("most")
    with pytest.raises(ValidationError, match="min:4"):
        c.run_automatic("min:4")
    with pytest.raises(NotFoundError, match="999"):
        c.run_automatic("majority", [999])
    lone = unit(c, ids["a1"], "claims", 35)
    with pytest.raises(ValidationError, match="bojan has no version"):
        c.accept(lone, "bojan")
    with pytest.raises(ValidationError, match="Cannot change actor_id"):
        c.edit(lone, actor_id=1)
    with pytest.raises(ValidationError, match="not decided"):
        c.reopen(lone)
    assert not c.session.can_undo and c.progress().decided == 0


def test_two_gold_sets_are_kept_apart(curated) -> None:
    c, ids = curated
    c.run_automatic("unanimous")
    other = Curation(c.session, ["alice", "bojan"], "gold2")
    report = other.run_automatic("unanimous")
    assert report.kept == 0 and report.accepted
    assert c.progress().decided == 2


# -- command line ------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "adjudicate.stancemark"
    with open_project(path, create=True) as store:
        fill(store)
    return path


def test_cli_runs_the_automatic_step_and_lists_what_is_left(project: Path, capsys) -> None:
    assert main(["adjudicate", str(project), "--annotators", "alice,bojan,chen",
                 "--strategy", "unanimous", "--gold", "curated"]) == 0
    out = capsys.readouterr().out
    assert "Accepted automatically: 2 units (mentions 1, article sentiments 1)." in out
    assert "Left to decide: 6 units" in out
    assert "alice, bojan: Vucic | chen: Kurti" in out
    assert "Decided 2 of 8 units (25.0 %)" in out
    assert "stancemark agreement" in out and "--annotators alice,bojan,chen,curated" in out

    assert main(["adjudicate", str(project), "--annotators", "alice,bojan,chen",
                 "--strategy", "majority", "--gold", "curated"]) == 0
    out = capsys.readouterr().out
    assert "Kept as decided before: 2 units." in out and "Decided 6 of 8 units" in out
    # the gold set is an annotator like any other: agreement with it is one command away
    assert main(["agreement", str(project), "--annotators", "alice,curated",
                 "--format", "json", "--resamples", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["annotators"] == ["alice", "curated"]


def test_cli_errors_are_one_line(project: Path, capsys) -> None:
    assert main(["adjudicate", str(project), "--annotators", "alice,bojan",
                 "--strategy", "min:3"]) == 1
    err = capsys.readouterr().err.strip()
    assert "min:3" in err and "\n" not in err
    with pytest.raises(SystemExit):
        main(["adjudicate", str(project), "--annotators", "alice,bojan", "--strategy", "most"])
    assert "unanimous, majority or min:N" in capsys.readouterr().err
