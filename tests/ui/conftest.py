"""Fixtures for driving the real annotation window on an in-memory project."""

from __future__ import annotations

import pytest

from stancemark.core.models import ArticleDraft
from stancemark.store import Store

ARTICLE_ONE = (
    "Kurti meets Vučić in Brussels\n"
    "Albin Kurti said on Monday that the police will stay in the north. "
    "Aleksandar Vučić answered that Belgrade would never accept it.\n"
    "The European Union urged both sides to return to talks."
)
ARTICLE_TWO = (
    "Talks resume\n"
    "Josep Borrell announced that the dialogue would resume next week in Brussels."
)
ARTICLE_THREE = "A quiet day\nNothing happened in the capital today."


@pytest.fixture
def project(store: Store) -> Store:
    store.articles.add_many([
        ArticleDraft(ARTICLE_ONE, title="Kurti meets Vučić", source="Balkan Daily",
                     published=None),
        ArticleDraft(ARTICLE_TWO, title="Talks resume", source="EU Observer"),
        ArticleDraft(ARTICLE_THREE, title="A quiet day", source="Local News"),
    ])
    return store


@pytest.fixture
def make_window(qtbot):
    """Open a real MainWindow on a store (annotator "alice"), shown and exposed."""
    from stancemark.ui.main_window import MainWindow

    made = []

    def make(store: Store, annotator: str = "alice"):
        win = MainWindow(store, annotator)
        win.persist_state = False
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow)  # window shortcuts fire only in the active window
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()


@pytest.fixture
def window(make_window, project: Store):
    return make_window(project)
