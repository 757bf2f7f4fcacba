"""The Qt-free working session: the status rule, undo and redo, change notices."""

from __future__ import annotations

import sys

import pytest

from stancemark.core.changes import ChangeKind
from stancemark.core.errors import StancemarkError
from stancemark.core.models import ArticleDraft
from stancemark.services.session import Session
from stancemark.store import memory_project

TEXT = "Kurti met Vučić in Brussels. Kurti said the talks were useful."


@pytest.fixture
def session():
    store = memory_project()
    store.articles.add(ArticleDraft(text=TEXT, title="Talks"))
    store.actors.add("Albin Kurti", "person")
    return Session(store, "alice")


def table_rows(store):
    """Every row of the annotation tables; of articles, id and status (``updated_at`` moves)."""
    tables = ("mentions", "claims", "article_sentiments", "actor_sentiments", "actors")
    rows = {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    rows["articles"] = store.conn.execute("SELECT id, status FROM articles").fetchall()
    return rows


def test_session_needs_no_qt() -> None:
    import subprocess

    code = ("import sys, stancemark.services.session, stancemark.cli; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_first_annotation_marks_the_article_in_progress_in_the_same_step(session) -> None:
    store = session.store
    heard = []
    session.subscribe(heard.append)
    change = session.perform(session.service.tag_actor(1, 0, 5, 1))
    assert store.articles.status(1) == "in_progress"
    assert {ChangeKind.MENTIONS, ChangeKind.STATUS} <= change.kinds
    assert heard == [change]
    session.undo()  # one step takes back both the mention and the status
    assert store.counts()["mentions"] == 0 and store.articles.status(1) == "new"
    session.redo()
    assert store.counts()["mentions"] == 1 and store.articles.status(1) == "in_progress"


def test_a_done_article_stays_done(session) -> None:
    session.perform(session.service.set_status(1, "done"))
    session.perform(session.service.add_claim(1, 29, 62))
    assert session.store.articles.status(1) == "done"


def test_undo_redo_restore_every_row_exactly(session) -> None:
    store = session.store
    before = table_rows(store)
    edits = [
        session.service.tag_actor(1, 0, 5, 1),
        session.service.add_claim(1, 29, 62, stance=1),
        session.service.set_article_sentiment(1, -1),
        session.service.set_actor_sentiment(1, 1, 2),
    ]
    states = [before]
    for edit in edits:
        session.perform(edit)
        states.append(table_rows(store))
    assert session.undo_text == edits[-1].text and session.can_undo and not session.can_redo
    for expected in reversed(states[:-1]):
        session.undo()
        assert table_rows(store) == expected
    assert session.undo() is None
    for expected in states[1:]:
        session.redo()
        after = table_rows(store)
        # undo → redo keeps ids and creation times; only updated_at records the touch
        assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in expected.items()}
        assert after["mentions"][0][:6] == expected["mentions"][0][:6] if expected["mentions"] \
            else after["mentions"] == []
    assert session.redo() is None


def test_a_refused_edit_leaves_history_and_project_as_they_were(session) -> None:
    session.perform(session.service.tag_actor(1, 0, 5, 1))
    before = table_rows(session.store)
    with pytest.raises(StancemarkError):
        session.perform(session.service.tag_actor(1, 0, 5, 1))  # the same mention twice
    assert table_rows(session.store) == before
    assert session.undo_text.startswith("Tag") and not session.can_redo


def test_a_new_edit_drops_the_redo_steps(session) -> None:
    session.perform(session.service.tag_actor(1, 0, 5, 1))
    session.undo()
    assert session.can_redo
    session.perform(session.service.tag_actor(1, 29, 34, 1))
    assert not session.can_redo


def test_failed_undo_clears_the_history(session) -> None:
    session.perform(session.service.tag_actor(1, 0, 5, 1))
    session.store.conn.execute("DELETE FROM mentions")  # changed behind the session's back
    session.perform(session.service.add_claim(1, 29, 62))
    session.store.conn.execute("DELETE FROM claims")
    with pytest.raises(StancemarkError, match="undo history was cleared"):
        session.undo()
    assert not session.can_undo and not session.can_redo


def test_origin_lets_a_listener_skip_its_own_echo(session) -> None:
    me = object()
    seen = []
    stop = session.subscribe(lambda c: seen.append(c.origin is me))
    session.perform(session.service.tag_actor(1, 0, 5, 1), origin=me)
    session.undo()
    stop()
    session.redo()
    assert seen == [True, False]


def test_unknown_change_kind_is_refused_where_it_is_made() -> None:
    from stancemark.core.changes import change

    with pytest.raises(ValueError):
        change(1, "mentoins")


def test_a_guessed_claimant_stays_a_guess_until_set_or_confirmed(session) -> None:
    service = session.service
    session.perform(service.tag_actor(1, 0, 5, 1))
    session.perform(service.add_claim(1, 29, 62))  # "Kurti said …": claimant guessed
    [claim] = session.store.annotations.claims(1)
    assert claim.claimant_id == 1 and session.guessed_claimants == {claim.id}
    session.undo()  # the claim is gone, and with it the guess
    assert session.guessed_claimants == set()
    session.redo()
    assert session.guessed_claimants == {claim.id}
    heard = []
    session.subscribe(heard.append)
    session.confirm_claimant(claim.id, 1)  # kept as it is: no edit, but a notice
    assert session.guessed_claimants == set() and len(heard) == 1
    assert not session.can_redo
    # a claimant chosen by hand is no guess; nor is one given when the claim is added
    session.perform(service.add_claim(1, 29, 40))
    second = max(c.id for c in session.store.annotations.claims(1))
    assert second in session.guessed_claimants
    session.perform(service.update_claim(session.store.annotations.claim(second),
                                         claimant_id=None))
    assert second not in session.guessed_claimants
    session.perform(service.add_claim(1, 0, 5, claimant_id=1))
    assert session.guessed_claimants == set()


def test_a_suggested_claim_with_its_speaker_is_a_guess_too(session) -> None:
    from stancemark.services.suggestions import Suggestion, SuggestionService

    text = TEXT[35:62]
    edit = SuggestionService(session.store, "alice").accept(
        1, Suggestion("claim", 35, 62, text, 1, "verb:said"))
    session.perform(edit)
    [claim] = session.store.annotations.claims(1)
    assert session.guessed_claimants == {claim.id}
