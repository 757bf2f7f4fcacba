"""The demo project a first-time user sees: the bundled sample articles, a few annotations."""

from __future__ import annotations

import json
from pathlib import Path

from stancemark.core.resources import resource
from stancemark.services.annotation import AnnotationService
from stancemark.services.edits import perform
from stancemark.services.importing import import_paths
from stancemark.store import Store, open_project


def sample_files() -> list[Path]:
    """The bundled sample articles (our own invented texts)."""
    folder = resource("samples")
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html", ".htm"))


def create_demo_project(path: Path) -> Store:
    """Create ``path`` with the sample articles and one of them analysed as an analyst would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = open_project(path, create=True)
    if store.counts()["articles"]:
        return store
    import_paths(store, sample_files())
    seed_demo_annotations(store)
    return store


def seed_demo_annotations(store: Store, annotator: str | None = None) -> int | None:
    """Apply ``samples/demo-annotations.json`` through the services; return the article id.

    Every occurrence of an actor's forms (whole words) becomes a mention; the
    listed claims, stances and sentiments are set; the ``registry`` actors are
    added untagged, so the other articles show suggestions. Returns None when
    the sample article is not in the project.
    """
    seed = json.loads(resource("samples", "demo-annotations.json").read_text(encoding="utf-8"))
    article = next((a for a in (store.articles.get(i) for i in store.articles.ids())
                    if seed["article"] in (a.title or "")), None)
    if article is None:
        return None
    text = article.text
    service = AnnotationService(store, annotator or seed["annotator"])
    ids: dict[str, int] = {}
    with store.write():
        for actor in seed["actors"]:
            name = actor["name"]
            ids[name] = store.actors.add(name, actor["type"],
                                         aliases=[f for f in actor["forms"] if f != name])
            for form in actor["forms"]:
                for start, end in _whole_word_hits(text, form):
                    perform(store, service.tag_actor(article.id, start, end, ids[name]))
        for claim in seed["claims"]:
            start = text.index(claim["text"])
            perform(store, service.add_claim(
                article.id, start, start + len(claim["text"]),
                claimant_id=ids[claim["claimant"]], target_id=ids[claim["target"]],
                category=claim["category"], stance=claim["stance"]))
        perform(store, service.set_article_sentiment(article.id, seed["article_sentiment"]))
        for name, value in seed["actor_sentiments"].items():
            perform(store, service.set_actor_sentiment(article.id, ids[name], value))
        perform(store, service.set_status(article.id, "in_progress"))
        for actor in seed.get("registry", []):
            if store.actors.by_name(actor["name"]) is None:
                store.actors.add(actor["name"], actor["type"], aliases=actor["aliases"])
    return article.id


def _whole_word_hits(text: str, form: str) -> list[tuple[int, int]]:
    """Occurrences of ``form`` not inside a longer word ("Ostria" is not in "Ostrian")."""
    hits = []
    start = text.find(form)
    while start != -1:
        end = start + len(form)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            hits.append((start, end))
        start = text.find(form, end)
    return hits
