"""Hub versions (issue 17): `team init` upgrades a hub that phase 1 made, in one
transaction and with its data intact, and a client and hub of different versions are
told what to do."""

from __future__ import annotations

import pytest

from stancemark.cli import main
from stancemark.core.errors import TeamError
from stancemark.services.team import conflicts, init_team, join, sync
from stancemark.store import open_project
from stancemark.sync import hub_schema
from tests.sync import hub_v1
from tests.sync.conftest import plain_connect, with_user

TEXT = "Kurti said on Monday that the talks with Belgrade would resume in Brussels."
U1, U2 = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"


@pytest.fixture
def old_hub(hub_url):
    """A version-1 hub as the first release made it, with a manager, a coder and some work."""
    admin = plain_connect(hub_url)
    try:
        hub_v1.init_hub(admin, blind=False)
        logins = {name: hub_v1.add_coder(admin, name, role)
                  for name, role in (("mary", "manager"), ("alice", "coder"))}
    finally:
        admin.close()
    mary = plain_connect(with_user(hub_url, "mary"), logins["mary"])
    alice = plain_connect(with_user(hub_url, "alice"), logins["alice"])
    try:
        mary.run("INSERT INTO stancemark.articles(uid, title, text) VALUES ('a1', 'Talks', :t)",
                 t=TEXT)
        mary.run("INSERT INTO stancemark.assignments(article_uid, coder) VALUES ('a1', 'alice')")
        mary.run("INSERT INTO stancemark.actors(uuid, name, type) "
                 "VALUES (:u, 'Albin Kurti', 'person')", u=U1)
        alice.run("INSERT INTO stancemark.mentions(uuid, article_uid, actor, start_offset, "
                  "end_offset, text) VALUES (:u, 'a1', :a, 0, 5, 'Kurti')", u=U2, a=U1)
    finally:
        mary.close()
        alice.close()
    return {name: with_user(hub_url, name, pw) for name, pw in logins.items()}


def _snapshot(hub_url: str) -> dict[str, list]:
    admin = plain_connect(hub_url)
    try:
        return {t: admin.run(f"SELECT * FROM stancemark.{t} ORDER BY 1")
                for t in ("articles", "assignments", "actors", "mentions", "coders")}
    finally:
        admin.close()


def _version(hub_url: str) -> str:
    admin = plain_connect(hub_url)
    try:
        return admin.run("SELECT value FROM stancemark.settings WHERE key = 'schema'")[0][0]
    finally:
        admin.close()


def test_team_init_upgrades_a_version_1_hub_with_its_data_intact(old_hub, hub_url, tmp_path,
                                                                 capsys):
    before = _snapshot(hub_url)
    # this Stancemark will not sync with the old hub, and says who must act
    with pytest.raises(TeamError, match="The hub is version 1; this Stancemark needs "
                                        "version 2") as info:
        join(tmp_path / "alice.stancemark", old_hub["alice"])
    assert "team init ADMIN_URL" in str(info.value.hint)

    assert main(["team", "init", hub_url]) == 0
    assert "upgraded from version 1 to 2" in capsys.readouterr().err
    assert _version(hub_url) == "2"
    after = _snapshot(hub_url)
    # every row is there, with the new column (who wrote a shared entry) still empty
    assert after["coders"] == before["coders"]
    assert after["mentions"] == before["mentions"]
    assert after["assignments"] == before["assignments"]
    assert [r[:-1] for r in after["actors"]] == before["actors"]
    assert [r[:-1] for r in after["articles"]] == before["articles"]
    # the blind setting was kept; a second init changes nothing
    assert init_team(hub_url)["blind"] is False
    assert init_team(hub_url)["upgraded_from"] is None
    assert _snapshot(hub_url) == after

    # and the team works on: alice joins, gets her article and her work, and proposes
    path = tmp_path / "alice.stancemark"
    join(path, old_hub["alice"])
    with open_project(path) as s:
        sync(s)
        assert [a.title for a in s.articles.summaries()] == ["Talks"]
        assert s.conn.execute("SELECT m.text, a.name FROM mentions m JOIN actors a ON "
                              "a.id = m.actor_id").fetchall() == [("Kurti", "Albin Kurti")]
        kurti = s.conn.execute("SELECT id FROM actors WHERE uuid = ?", (U1,)).fetchone()[0]
        s.actors.update(kurti, note="Prime minister")
        assert sync(s).refused == {"actors": 1}
    [held] = conflicts(old_hub["mary"])
    assert held.proposed_by == "alice" and held.changes() == ['note (none) -> "Prime minister"']


def test_a_hub_newer_than_this_stancemark_is_refused_and_left_alone(old_hub, hub_url,
                                                                    tmp_path):
    init_team(hub_url)
    admin = plain_connect(hub_url)
    try:
        admin.run("UPDATE stancemark.settings SET value = '9' WHERE key = 'schema'")
    finally:
        admin.close()
    message = "The hub is version 9; this Stancemark knows up to 2"
    with pytest.raises(TeamError, match=message) as info:
        join(tmp_path / "alice.stancemark", old_hub["alice"])
    assert "Update Stancemark" in str(info.value.hint)
    with pytest.raises(TeamError, match=message):
        init_team(hub_url)
    assert _version(hub_url) == "9"


def test_an_upgrade_that_fails_half_way_leaves_the_hub_as_it_was(old_hub, hub_url,
                                                                 monkeypatch):
    before = _snapshot(hub_url)
    broken = [*hub_schema.MIGRATIONS, "ALTER TABLE stancemark.nowhere ADD COLUMN x text"]
    monkeypatch.setattr(hub_schema, "MIGRATIONS", broken)
    monkeypatch.setattr(hub_schema, "SCHEMA_VERSION", 3)
    with pytest.raises(TeamError, match="upgrading the hub to version 3"):
        init_team(hub_url)
    # not even step 2 stayed: the whole upgrade was one transaction
    assert _version(hub_url) == "1"
    assert _snapshot(hub_url) == before
    admin = plain_connect(hub_url)
    try:
        assert admin.run("SELECT to_regclass('stancemark.proposals') IS NULL") == [[True]]
    finally:
        admin.close()
