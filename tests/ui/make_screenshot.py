"""Build the README screenshot: the sample articles, analysed as an analyst would, rendered.

``.venv/bin/python -m tests.ui.make_screenshot [docs/screenshot.png]`` makes a
project in a temporary folder, tags actors, claims and sentiment on the grain
port article through the same services the window uses, and runs
``stancemark --screenshot`` on it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ACTORS = [  # (name, type, [texts that name it])
    ("Irena Balaš", "person", ["Irena Balaš", "Balaš"]),
    ("Pavel Ruden", "person", ["Pavel Ruden"]),
    ("Mira Hollen", "person", ["Mira Hollen", "Hollen"]),
    ("Valmora", "country", ["Valmora"]),
    ("Ostria", "country", ["Ostria"]),
    ("Ostrian Union of Port Workers", "organisation", ["Ostrian Union of Port Workers"]),
    ("River Commission", "organisation", ["River Commission"]),
    ("Green Alliance", "party", ["Green Alliance"]),
    ("National Party", "party", ["National Party"]),
    ("Government of Ostria", "government", ["Selna"]),
]
CLAIMS = [  # (text, claimant, target, category, stance)
    ('has abandoned the people who feed this country', "Ostrian Union of Port Workers",
     "Government of Ostria", "economy", -2),
    ("accused the Ostrian authorities of tolerating the protest in order to put pressure on "
     "her country", "Irena Balaš", "Ostria", "diplomacy", -2),
    ("The police stood by and watched while the gates were chained shut", "Irena Balaš",
     "Ostria", "security-police", -1),
    ("rejected the accusation", "Pavel Ruden", "Irena Balaš", "diplomacy", -1),
    ("the police had acted \"with restraint, as the law requires,\"", "Pavel Ruden", "Ostria",
     "security-police", 1),
    ('signed away the livelihood of our farmers in a deal negotiated behind closed doors',
     "Mira Hollen", "Government of Ostria", "economy", -2),
]


def build(path: Path) -> None:
    from stancemark.services.annotation import AnnotationService
    from stancemark.services.demo import sample_files
    from stancemark.services.edits import perform
    from stancemark.services.importing import import_paths
    from stancemark.store import open_project

    with open_project(path, create=True) as store:
        import_paths(store, sample_files())
        article = next(a for a in (store.articles.get(i) for i in store.articles.ids())
                       if "Port Keller" in (a.title or ""))
        text = article.text
        service = AnnotationService(store, "maria")
        ids: dict[str, int] = {}
        for name, kind, forms in ACTORS:
            ids[name] = store.actors.add(name, kind, aliases=[f for f in forms if f != name])
            for form in forms:
                start = text.find(form)
                while start != -1:
                    end = start + len(form)
                    before = text[start - 1] if start else " "
                    after = text[end] if end < len(text) else " "
                    if not (before.isalnum() or after.isalnum() or text[end:end + 2] == "n "):
                        perform(store, service.tag_actor(article.id, start, end, ids[name]))
                    start = text.find(form, end)
        for quote, claimant, target, category, stance in CLAIMS:
            start = text.index(quote)
            perform(store, service.add_claim(article.id, start, start + len(quote),
                                             claimant_id=ids[claimant], target_id=ids[target],
                                             category=category, stance=stance))
        perform(store, service.set_article_sentiment(article.id, -1))
        for name, value in (("Irena Balaš", -1), ("Pavel Ruden", 0),
                            ("Ostrian Union of Port Workers", 1)):
            perform(store, service.set_actor_sentiment(article.id, ids[name], value))
        perform(store, service.set_status(article.id, "in_progress"))


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[0] if argv else "docs/screenshot.png").absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HOME"] = tmp  # keep the real settings out of it
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        project = Path(tmp) / "analysis.stancemark"
        build(project)
        from stancemark.cli import main as cli_main

        return cli_main(["--screenshot", str(out), str(project)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
