"""The session's promises: an edit and the status it brings commit together; a failed
undo drops the history instead of replaying it against the wrong rows."""

from __future__ import annotations

from stancemark.core.errors import StancemarkError
from stancemark.services.edits import Change, Edit, change


class FailingRevert(Edit):
    text = "Step that cannot be undone"

    def __init__(self, article_id: int) -> None:
        self.article_id = article_id

    def apply(self, store) -> Change:
        return change(self.article_id, "sentiment")

    def revert(self, store) -> Change:
        raise StancemarkError("The row this step changed is gone.")


def test_first_annotation_marks_the_article_in_progress_in_one_step(window, project) -> None:
    s = window.session
    art = s.article.id
    assert project.articles.status(art) == "new"
    actor = project.actors.add("Albin Kurti", "person")
    text = s.article.text
    start = text.index("Albin Kurti")
    s.perform(s.service.tag_actor(art, start, start + 11, actor))
    assert project.articles.status(art) == "in_progress"
    assert s.article.status == "in_progress"  # the cached article follows
    s.undo_stack.undo()  # one step takes both back
    assert project.annotations.mentions(art) == []
    assert project.articles.status(art) == "new"


def test_failed_undo_clears_the_history(qtbot, window) -> None:
    s = window.session
    s.perform(s.service.set_article_sentiment(s.article.id, 1, s.codebook))
    s.perform(FailingRevert(s.article.id))
    assert s.undo_stack.count() == 2
    with qtbot.waitSignal(s.failed) as blocker:
        s.undo_stack.undo()
    assert "undo history was cleared" in blocker.args[0]
    qtbot.waitUntil(lambda: s.undo_stack.count() == 0)
