"""Codebook export/import round trip, bad files, renames, deletions in use, undo."""

from __future__ import annotations

import json

import pytest

from stancemark.core.codebook import Category, default_codebook
from stancemark.core.errors import ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.codebook_io import (
    CodebookFileError,
    ReplaceCodebook,
    export_codebook,
    import_codebook,
    plan_codebook,
    read_codebook,
)
from stancemark.store import memory_project


def dump(store):
    # set semantics: a re-inserted codebook row may get another rowid and uuid (identities,
    # like a row id), its content is the same
    out = {}
    for t in ("actor_types", "categories", "scale", "claims", "actors"):
        cols = [r[1] for r in store.conn.execute(f"PRAGMA table_info({t})") if r[1] != "uuid"]
        out[t] = sorted(store.conn.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall(),
                        key=repr)
    return out


def test_round_trip_into_a_new_project(store, tmp_path):
    book = store.codebook.load()
    book.categories.append(Category("elections", "Elections", "politics", "Votes", "#123456",
                                    "E"))
    store.codebook.save(book)
    path = tmp_path / "team.json"
    export_codebook(store.codebook.load(), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["stancemark"] == 1 and data["kind"] == "codebook"
    other = memory_project()
    try:
        import_codebook(other, path).apply(other)
        assert other.codebook.load() == store.codebook.load()
    finally:
        other.close()


@pytest.mark.parametrize(("content", "message"), [
    ('{"actor_types": [], \n "categories": [,]}', "not valid JSON: Expecting value at line 2, "
                                                  "column 17"),
    ("[1, 2]", "must be a JSON object"),
    ('{"stancemark": 2, "kind": "codebook"}', "format 2"),
    ('{"stancemark": 1, "kind": "article"}', "holds a Stancemark 'article', not a codebook"),
    ('{"stancemark": 1, "kind": "codebook", "foo": 1}', "has no actor_types, categories, scale "
                                                        "(it has foo)"),
    ('{"actor_types": [{"key": "Bad Key", "label": "x"}], "categories": '
     '[{"key": "a", "label": "A", "parent": "zz", "color": "red"}], "scale": []}',
     "key 'Bad Key' may hold only"),
])
def test_bad_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CodebookFileError) as info:
        read_codebook(path)
    assert message in str(info.value)


def test_every_problem_is_named(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({
        "actor_types": [{"key": "p", "label": "P"}, {"key": "p", "label": "Q"}],
        "categories": [{"key": "a", "label": "A", "parent": "zz", "color": "red"}],
        "scale": []}), encoding="utf-8")
    with pytest.raises(CodebookFileError) as info:
        read_codebook(path)
    text = str(info.value)
    for part in ("colour 'red'", "duplicate actor type key(s): p", "unknown parent 'zz'",
                 "at least one value"):
        assert part in text


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(CodebookFileError, match="There is no file"):
        read_codebook(tmp_path / "nope.json")
    p = tmp_path / "latin.json"
    p.write_bytes(b'{"x": "\xe9"}')
    with pytest.raises(CodebookFileError, match="not UTF-8"):
        read_codebook(p)


@pytest.fixture
def annotated(store):
    art = store.articles.add(ArticleDraft(text="The minister said the army stays.", title="t"))
    for cat in ("security", "security", "diplomacy", "rights"):
        store.annotations.add_claim(art, 0, 10, "alice", category=cat)
    store.actors.add("Army", "organisation")
    return store


def test_rename_keeps_claims_and_undo_restores(annotated):
    store = annotated
    before = dump(store)
    book = store.codebook.load()
    for c in book.categories:
        if c.key == "security":
            c.key = "safety"
        if c.parent == "security":
            c.parent = "safety"
    plan = plan_codebook(store, book, renames={"security": "safety"})
    assert not plan.needs_confirmation
    edit = ReplaceCodebook(plan)
    edit.apply(store)
    assert store.codebook.category_usage() == {"safety": 2, "diplomacy": 1, "rights": 1}
    assert store.codebook.load().category("security-military").parent == "safety"
    edit.revert(store)
    assert dump(store) == before


def test_deleting_a_used_category_reports_and_moves(annotated):
    store = annotated
    before = dump(store)
    book = store.codebook.load()
    book.categories = [c for c in book.categories if c.key != "rights"]
    book.actor_types = [t for t in book.actor_types if t.key != "organisation"]
    plan = plan_codebook(store, book)
    assert plan.lost_categories == {"rights": 1}
    assert plan.lost_types == {"organisation": 1}
    assert "category 'rights' is used by 1 claim" in plan.question()
    plan = plan_codebook(store, book, moves={"rights": "politics"})
    assert plan.lost_categories == {}
    edit = ReplaceCodebook(plan)
    edit.apply(store)
    assert store.codebook.category_usage()["politics"] == 1
    assert store.actors.by_name("Army").type is None
    edit.revert(store)
    assert dump(store) == before
    # without a move the claims lose their category, and undo brings it back
    edit = ReplaceCodebook(plan_codebook(store, book))
    edit.apply(store)
    assert "rights" not in store.codebook.category_usage()
    edit.revert(store)
    assert dump(store) == before


def test_bad_plans_refused(annotated):
    store = annotated
    book = default_codebook()
    with pytest.raises(ValidationError, match="no such category"):
        plan_codebook(store, book, moves={"rights": "nowhere"})
    with pytest.raises(ValidationError, match="unknown category"):
        plan_codebook(store, book, renames={"ghost": "politics"})
    store.annotations.add_claim(1, 0, 3, "alice", stance=-2)
    book.scale = [p for p in book.scale if p.value != -2]
    with pytest.raises(ValidationError, match="drops values"):
        ReplaceCodebook(plan_codebook(store, book))


def test_cli_round_trip_and_bad_file_leaves_project_unchanged(tmp_path, capsys):
    from stancemark.cli import main
    from stancemark.store import open_project

    src, dst = tmp_path / "a.stancemark", tmp_path / "b.stancemark"
    with open_project(src, create=True) as s:
        book = s.codebook.load()
        book.categories.append(Category("elections", "Elections", "politics"))
        s.codebook.save(book)
        expected = s.codebook.load()
    open_project(dst, create=True).close()
    out = tmp_path / "cb.json"
    assert main(["codebook", "export", str(src), str(out)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"actor_types": [], "categories": [{"key": "x"}], "scale": [{}]}',
                   encoding="utf-8")
    before = dst.read_bytes()
    assert main(["codebook", "import", str(dst), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "scale[0]: 'value' must be an integer" in err
    assert dst.read_bytes() == before
    assert main(["codebook", "import", str(dst), str(out)]) == 0
    with open_project(dst) as s:
        assert s.codebook.load() == expected


def test_cli_import_refuses_to_drop_used_categories_without_force(tmp_path, capsys):
    from stancemark.cli import main
    from stancemark.store import open_project

    path = tmp_path / "p.stancemark"
    with open_project(path, create=True) as s:
        art = s.articles.add(ArticleDraft(text="Some text here.", title="t"))
        s.annotations.add_claim(art, 0, 4, "alice", category="rights")
        book = s.codebook.load()
    book.categories = [c for c in book.categories if c.key != "rights"]
    f = tmp_path / "cb.json"
    export_codebook(book, f)
    assert main(["codebook", "import", str(path), str(f)]) == 1
    assert "category 'rights' is used by 1 claim" in capsys.readouterr().err
    assert main(["codebook", "import", str(path), str(f), "--force"]) == 0
    with open_project(path) as s:
        assert s.codebook.load().category("rights") is None
