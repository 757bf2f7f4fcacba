"""Where a member's password is kept and found: the system keyring (through the ``keyring``
package, replaced here by a small fake module) or the libpq password file."""

from __future__ import annotations

import stat
import sys
import types

import pytest

from stancemark.core.errors import HubRefusedError
from stancemark.sync.connection import (
    KEYRING_SERVICE,
    find_password,
    parse_url,
    pgpass_path,
    store_password,
)

ADDR = parse_url("postgresql://alice@db.example.org:5433/team")


class FakeKeyring(types.ModuleType):
    """What Stancemark uses of the ``keyring`` package: get_password and set_password."""

    def __init__(self, *, broken: bool = False) -> None:
        super().__init__("keyring")
        self.secrets: dict[tuple[str, str], str] = {}
        self.broken = broken

    def get_password(self, service: str, key: str) -> str | None:
        if self.broken:
            raise RuntimeError("No recommended backend was available.")
        return self.secrets.get((service, key))

    def set_password(self, service: str, key: str, password: str) -> None:
        if self.broken:
            raise RuntimeError("No recommended backend was available.")
        self.secrets[(service, key)] = password


@pytest.fixture
def keyring(monkeypatch):
    fake = FakeKeyring()
    monkeypatch.setitem(sys.modules, "keyring", fake)
    return fake


@pytest.fixture
def no_keyring(monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring raises ImportError


def test_a_password_goes_to_the_keyring_and_comes_back_from_it(keyring):
    assert store_password(ADDR, "s3cret:with\\odd") == "the system keyring"
    assert keyring.secrets == {(KEYRING_SERVICE, "alice@db.example.org:5433/team"):
                               "s3cret:with\\odd"}
    assert not pgpass_path().exists()  # nothing in the file when the keyring took it
    assert find_password(ADDR) == "s3cret:with\\odd"
    # another member, port or database is another entry
    assert find_password(ADDR.as_user("bob", None)) is None
    assert find_password(parse_url("postgresql://alice@db.example.org:5432/team")) is None


def test_the_url_then_pgpassword_come_before_the_keyring(keyring, monkeypatch):
    store_password(ADDR, "from-keyring")
    monkeypatch.setenv("PGPASSWORD", "from-env")
    assert find_password(ADDR) == "from-env"
    assert find_password(parse_url("postgresql://alice:from%20url@db.example.org:5433/team")
                         ) == "from url"


def test_a_keyring_without_a_backend_falls_back_to_the_password_file(monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", FakeKeyring(broken=True))
    where = store_password(ADDR, "pw:1\\x")
    assert where == str(pgpass_path())
    assert stat.S_IMODE(pgpass_path().stat().st_mode) == 0o600
    # colons and backslashes are escaped as libpq reads them
    assert pgpass_path().read_text() == "db.example.org:5433:team:alice:pw\\:1\\\\x\n"
    assert find_password(ADDR) == "pw:1\\x"


def test_the_password_file_is_read_as_libpq_reads_it(no_keyring):
    pgpass_path().write_text(
        "# a comment line\n"
        "db.example.org:5432:team:alice:wrong-port\n"
        "*:*:other:alice:wrong-database\n"
        "db.example.org:*:team:alice:first-match\n"
        "*:*:*:*:too-late\n")
    assert find_password(ADDR) == "first-match"
    assert find_password(parse_url("postgresql://carol@elsewhere/x")) == "too-late"


def test_joining_again_replaces_the_entry_and_keeps_the_others(no_keyring):
    pgpass_path().write_text("other.host:5432:db:bob:bobs\n")
    store_password(ADDR, "old")
    store_password(ADDR, "new")
    assert pgpass_path().read_text().splitlines() == [
        "other.host:5432:db:bob:bobs", "db.example.org:5433:team:alice:new"]
    assert find_password(ADDR) == "new"


def test_no_file_and_no_keyring_means_no_password(no_keyring):
    assert find_password(ADDR) is None


def test_a_member_joins_and_syncs_with_the_password_in_the_keyring(keyring, hub_url, tmp_path):
    from stancemark.services.team import add_member, init_team, join, sync
    from stancemark.store import open_project
    from tests.sync.conftest import with_user

    init_team(hub_url)
    _addr, password = add_member(hub_url, "alice")
    name, role, kept = join(tmp_path / "alice.stancemark", with_user(hub_url, "alice", password))
    assert (name, role, kept) == ("alice", "coder", "the system keyring")
    assert list(keyring.secrets.values()) == [password]
    assert not pgpass_path().exists()
    with open_project(tmp_path / "alice.stancemark") as s:
        assert password not in str(s.get_meta("team_url"))
        assert sync(s).role == "coder"  # the password came from the keyring
    keyring.secrets.clear()
    with open_project(tmp_path / "alice.stancemark") as s, \
            pytest.raises(HubRefusedError, match="No password for 'alice'"):
        sync(s)
