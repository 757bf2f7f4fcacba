"""The demo project a first-time user sees: the bundled sample articles, a few annotations."""

from __future__ import annotations

from pathlib import Path

from stancemark.core.resources import resource
from stancemark.services.importing import import_paths
from stancemark.store import Store, open_project

DEMO_ANNOTATOR = "demo"


def sample_files() -> list[Path]:
    """The bundled sample articles (our own invented texts)."""
    folder = resource("samples")
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html", ".htm"))


def create_demo_project(path: Path) -> Store:
    """Create ``path`` with the sample articles and a first actor or two tagged."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = open_project(path, create=True)
    if store.counts()["articles"]:
        return store
    import_paths(store, sample_files())
    _seed_annotations(store)
    return store


def _seed_annotations(store: Store) -> None:
    """Tag every occurrence of the first article's first capitalised names, so highlights show."""
    ids = store.articles.ids()
    if not ids:
        return
    article = store.articles.get(ids[0])
    text = article.text
    candidates: list[str] = []
    for word in text.replace("\n", " ").split(" "):
        w = word.strip(".,;:“”\"'()«»")
        if len(w) > 3 and w[0].isupper() and w.isalpha() and w not in candidates \
                and text.find(w) > len(article.title or ""):
            candidates.append(w)
        if len(candidates) == 3:
            break
    with store.write():
        for name in candidates:
            actor_id = store.actors.add(name, "person" if name == candidates[0] else
                                        "organisation")
            start = text.find(name, len(article.title or ""))
            while start != -1:
                store.annotations.add_mention(article.id, start, start + len(name), actor_id,
                                              DEMO_ANNOTATOR)
                start = text.find(name, start + len(name))
        store.articles.set_status(article.id, "in_progress")
