"""The window copes with categories nested thousands deep or in a loop (written by hand).

The codebook's own validation would refuse such a codebook, but a project file
can be edited outside Stancemark; the tagging panel's picker, the claim list and
the codebook dialog must still open, without recursion.
"""

from __future__ import annotations

from stancemark.core.errors import StancemarkError
from stancemark.core.models import ArticleDraft
from stancemark.store import Store
from stancemark.ui.codebook_dialog import CodebookDialog

CHAIN = 3000


def nest(store: Store, depth: int, *, loop: bool = False) -> None:
    """``depth`` categories, each the child of the one before, straight into the tables."""
    rows = [(f"c{i}", f"Level {i}", f"c{i - 1}" if i else (f"c{depth - 1}" if loop else None),
             "#777777", 100 + i) for i in range(depth)]
    with store.conn:
        store.conn.execute("PRAGMA foreign_keys = OFF")
        store.conn.executemany("INSERT INTO categories(key, label, parent, color, position) "
                               "VALUES (?, ?, ?, ?, ?)", rows)
    store.conn.execute("PRAGMA foreign_keys = ON")


def article_with_claim(store: Store, category: str) -> int:
    aid = store.articles.add(ArticleDraft(text="The minister said the army stays.", title="t"))
    assert aid is not None
    store.annotations.add_claim(aid, 4, 32, "alice", category=category)
    return aid


def test_chain_of_3000_categories_in_picker_list_and_dialog(qtbot, make_window, store) -> None:
    nest(store, CHAIN)
    aid = article_with_claim(store, f"c{CHAIN - 1}")
    win = make_window(store)
    win.open_article(aid)
    panel = win.tagging_panel
    combo = panel.claim_editor.category_combo
    keys = [combo.itemData(i) for i in range(combo.count())]
    assert {f"c{i}" for i in range(CHAIN)} <= set(keys)
    # parents before children, indentation capped
    assert keys.index("c0") < keys.index("c1") < keys.index(f"c{CHAIN - 1}")
    assert len(combo.itemText(keys.index(f"c{CHAIN - 1}"))) < 80
    shown = panel.claim_model.data(panel.claim_model.index(0, 2))
    assert shown.startswith("Level 0 › … ›") and shown.endswith(f"Level {CHAIN - 1}")

    dialog = CodebookDialog(win.session)
    qtbot.addWidget(dialog)
    assert dialog.categories.rowCount() >= CHAIN
    try:
        dialog.codebook()
    except StancemarkError:
        pass  # a depth limit may refuse it; what matters is no RecursionError


def test_category_loop_in_picker(qtbot, make_window, store) -> None:
    nest(store, 50, loop=True)
    aid = article_with_claim(store, "c10")
    win = make_window(store)
    win.open_article(aid)
    combo = win.tagging_panel.claim_editor.category_combo
    keys = [combo.itemData(i) for i in range(combo.count())]
    assert sorted(k for k in keys if k and k.startswith("c") and k[1:].isdigit()) == \
        sorted(f"c{i}" for i in range(50))
