"""Agreement and adjudication across the team (issue 17): two coders code the same article,
a curator measures their agreement and settles a gold set, and a manager gets the gold
annotations and the decisions behind them through the hub."""

from __future__ import annotations

from stancemark.services.adjudication import Curation
from stancemark.services.agreement import project_agreement
from stancemark.services.session import Session
from stancemark.services.team import sync
from stancemark.store import open_project
from stancemark.store.adjudication import decisions
from tests.sync.test_sync import annotate, hub_rows


def _gold(store) -> dict[str, int]:
    c = store.conn
    return {kind: c.execute(f"SELECT count(*) FROM {kind} k JOIN annotators n ON "
                            f"n.id = k.annotator_id WHERE n.name = 'gold'").fetchone()[0]
            for kind in ("mentions", "claims", "article_sentiments", "actor_sentiments")}


def _decided(store) -> list[tuple]:
    """Each decision as a user would compare it: the unit, the outcome, the curator, and
    the text and annotator of every source annotation."""
    out = []
    for d in decisions(store, "gold"):
        sources = []
        for who, ref in sorted(d.sources.items()):
            if d.layer in ("mentions", "claims"):
                row = store.conn.execute(f"SELECT text FROM {d.layer} WHERE id = ?",
                                         (ref,)).fetchone()
                sources.append((who, row[0]))
            else:
                sources.append((who, ref))
        out.append((d.layer, d.unit_key, d.outcome, d.decided_by, tuple(sources),
                    d.mention_id is not None, d.claim_id is not None))
    return sorted(out)


def test_a_curator_settles_two_coders_work_and_the_manager_gets_gold_and_decisions(
        team, hub_url):
    urls, projects = team
    annotate(projects["alice"], "alice", stance=1)
    annotate(projects["bob"], "bob", stance=-1)
    for name in ("alice", "bob"):
        with open_project(projects[name]) as s:
            sync(s)
    with open_project(projects["carol"]) as s:
        sync(s)
        report = project_agreement(s, ["alice", "bob"])
        assert report.annotators == ["alice", "bob"] and report.articles == 1
        assert report.layers["article_sentiment"]["units"] == 1
        curation = Curation(Session(s, "carol"), ["alice", "bob"])
        units = curation.units()
        assert len(units) >= 4
        for unit in units:
            if "alice" in unit.versions:
                curation.accept(unit, "alice")
            else:
                curation.reject(unit)
        assert curation.progress().undecided == 0
        gold, settled = _gold(s), _decided(s)
        assert gold["claims"] == 1 and gold["article_sentiments"] == 1
        pushed = sync(s).pushed
        assert pushed >= len(settled) + sum(gold.values())
    assert hub_rows(hub_url, "SELECT count(*) FROM stancemark.adjudications "
                             "WHERE NOT deleted") == [[len(settled)]]
    with open_project(projects["mary"]) as s:
        sync(s)
        assert _gold(s) == gold
        assert _decided(s) == settled
        # the units read as settled in the manager's own project too
        mine = Curation(Session(s, "mary"), ["alice", "bob"])
        assert mine.progress().undecided == 0 and mine.progress().decided == len(units)
        stance = s.conn.execute("SELECT c.stance FROM claims c JOIN annotators n ON "
                                "n.id = c.annotator_id WHERE n.name = 'gold'").fetchone()
        assert stance == (1,)  # alice's version, as the curator accepted
    # coders never get the decisions (blind), even after the curator's sync
    with open_project(projects["alice"]) as s:
        sync(s)
        assert decisions(s, "gold") == [] and _gold(s)["claims"] == 0


def test_a_unit_settled_again_replaces_the_decision_everywhere(team, hub_url):
    urls, projects = team
    annotate(projects["alice"], "alice")
    annotate(projects["bob"], "bob")
    for name in ("alice", "bob", "carol"):
        with open_project(projects[name]) as s:
            sync(s)
    with open_project(projects["carol"]) as s:
        curation = Curation(Session(s, "carol"), ["alice", "bob"])
        unit = next(u for u in curation.units() if u.layer == "claims")
        curation.accept(unit, "alice")
        sync(s)
    with open_project(projects["mary"]) as s:
        sync(s)
        assert [d.outcome for d in decisions(s, "gold")] == ["accepted"]
    with open_project(projects["carol"]) as s:
        curation = Curation(Session(s, "carol"), ["alice", "bob"])
        unit = next(u for u in curation.units() if u.layer == "claims")
        curation.reopen(unit)
        curation.reject(curation.find(unit.article_id, unit.key))
        sync(s)
    assert hub_rows(hub_url, "SELECT outcome FROM stancemark.adjudications "
                             "WHERE NOT deleted") == [["rejected"]]
    with open_project(projects["mary"]) as s:
        sync(s)
        assert [d.outcome for d in decisions(s, "gold")] == ["rejected"]
        assert _gold(s)["claims"] == 0


def test_a_decision_made_while_a_sync_runs_survives_the_pull(team, hub_url, monkeypatch):
    """Carol settles a unit between the push and the pull of her sync, while dave (another
    curator) settled it on the hub: the pull must not take her unsent decision away; it is
    sent next time and wins there, as the newest."""
    from stancemark.services import team as team_service
    from tests.sync.conftest import member

    urls, projects = team
    dave = member(hub_url, "dave", "curator")
    projects["dave"] = projects["carol"].with_name("dave.stancemark")
    team_service.join(projects["dave"], dave)
    annotate(projects["alice"], "alice")
    annotate(projects["bob"], "bob")
    for name in ("alice", "bob", "carol", "dave"):
        with open_project(projects[name]) as s:
            sync(s)
    with open_project(projects["dave"]) as s:
        curation = Curation(Session(s, "dave"), ["alice", "bob"])
        unit = next(u for u in curation.units() if u.layer == "claims")
        curation.reject(unit)
        sync(s)
    assert hub_rows(hub_url, "SELECT outcome, decided_by FROM stancemark.adjudications "
                             "WHERE NOT deleted") == [["rejected", "dave"]]

    real_pull = team_service.hub.pull
    with open_project(projects["carol"]) as s:
        curation = Curation(Session(s, "carol"), ["alice", "bob"])
        unit = next(u for u in curation.units() if u.layer == "claims")

        def pull_after_carol_decides(*args, **kwargs):
            curation.accept(unit, "alice")  # the push half is over: this waits to be sent
            return real_pull(*args, **kwargs)

        monkeypatch.setattr(team_service.hub, "pull", pull_after_carol_decides)
        sync(s)
        monkeypatch.setattr(team_service.hub, "pull", real_pull)
        assert [(d.outcome, d.decided_by) for d in decisions(s, "gold")] == [
            ("accepted", "carol")]
        assert _gold(s)["claims"] == 1
        sync(s)  # now it is sent, and replaces dave's on the hub
    assert hub_rows(hub_url, "SELECT outcome, decided_by FROM stancemark.adjudications "
                             "WHERE NOT deleted") == [["accepted", "carol"]]
    for name in ("dave", "mary"):
        with open_project(projects[name]) as s:
            sync(s)
            assert [(d.outcome, d.decided_by) for d in decisions(s, "gold")] == [
                ("accepted", "carol")], name
            assert _gold(s)["claims"] == 1, name
