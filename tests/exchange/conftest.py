"""A project of hostile text for every exporter: emoji, Cyrillic, combining marks, former CRLF,
spans across line breaks, two annotators, nested categories, affiliations, notes with quotes."""

from __future__ import annotations

import pytest

from stancemark.core.models import ArticleDraft
from stancemark.store import Store, memory_project

TEXT_EMOJI = (
    "Mayor 😀 Ana Petrović 👍🏽 said the bridge “will open” soon.\n\n"
    "Critics 🙄 replied that Petrović had promised it twice."
)
TEXT_CYRILLIC = (
    "Председник Вучић је рекао да Србија неће признати Косово.\n\n"
    "Albin Kurti answered that Вучић “lives in the past”."
)
# e + COMBINING ACUTE, and a line break inside the claim span
TEXT_COMBINING = (
    "The ministe\u0301re de l'Inte\u0301rieur warned that\n"
    "protests would be banned.\n\n"
    "Rene\u0301e Dubois, a union leader, called the ban =SUM(A1) \"a disgrace\"."
)
# as read from a CRLF file: the importer normalises to LF before storing
TEXT_CRLF = "Line one names NATO.\r\nLine two: NATO said troops stay.\r\n".replace("\r\n", "\n")


def _find(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def build_hostile_project() -> Store:
    s = memory_project()
    ids = [s.articles.add(ArticleDraft(text=t, title=t.split("\n")[0][:40], source="Test Wire",
                                       published=None))
           for t in (TEXT_EMOJI, TEXT_CYRILLIC, TEXT_COMBINING, TEXT_CRLF)]
    a_emoji, a_cyr, a_comb, a_crlf = ids
    serbia = s.actors.add("Serbia", "country")
    vucic = s.actors.add("Aleksandar Vučić", "person", aliases=["Vucic", "Вучић"],
                         affiliation_id=serbia)
    kurti = s.actors.add("Albin Kurti", "person")
    ana = s.actors.add("Ana Petrović", "person", aliases=["Petrović"])
    ministry = s.actors.add("Ministère de l'Intérieur", "government")
    renee = s.actors.add("=Renée Dubois", "person")  # a name a spreadsheet would execute
    nato = s.actors.add("NATO", "organisation")

    ann = s.annotations
    # emoji article
    ann.add_mention(a_emoji, *_find(TEXT_EMOJI, "Ana Petrović"), ana, "alice")
    ann.add_mention(a_emoji, *_find(TEXT_EMOJI, "Petrović", 1), ana, "alice")
    ann.add_claim(a_emoji, *_find(TEXT_EMOJI, "the bridge “will open” soon"), "alice",
                  claimant_id=ana, category="politics", stance=1, note='she said "soon"')
    ann.add_claim(a_emoji, *_find(TEXT_EMOJI, "Petrović had promised it twice"), "alice",
                  claimant_id=None, target_id=ana, category="politics", stance=-1)
    ann.set_sentiment(a_emoji, None, "alice", 0)
    ann.set_sentiment(a_emoji, ana, "alice", 1)
    # same article, second annotator
    ann.add_mention(a_emoji, *_find(TEXT_EMOJI, "Ana Petrović"), ana, "bob")
    ann.set_sentiment(a_emoji, None, "bob", -1)
    # Cyrillic
    ann.add_mention(a_cyr, *_find(TEXT_CYRILLIC, "Вучић"), vucic, "alice")
    ann.add_mention(a_cyr, *_find(TEXT_CYRILLIC, "Србија"), serbia, "alice")
    ann.add_mention(a_cyr, *_find(TEXT_CYRILLIC, "Albin Kurti"), kurti, "alice")
    ann.add_claim(a_cyr, *_find(TEXT_CYRILLIC, "Србија неће признати Косово"), "alice",
                  claimant_id=vucic, category="diplomacy", stance=-2)
    ann.add_claim(a_cyr, *_find(TEXT_CYRILLIC, "Вучић “lives in the past”"), "alice",
                  claimant_id=kurti, target_id=vucic, category="security-police", stance=-1)
    ann.set_sentiment(a_cyr, vucic, "alice", -1)
    # combining marks, a claim across a line break
    ann.add_mention(a_comb, *_find(TEXT_COMBINING, "ministe\u0301re de l'Inte\u0301rieur"),
                    ministry, "alice")
    ann.add_mention(a_comb, *_find(TEXT_COMBINING, "Rene\u0301e Dubois"), renee, "alice")
    ann.add_claim(a_comb, *_find(TEXT_COMBINING, "that\nprotests would be banned"), "alice",
                  claimant_id=ministry, category="rights", stance=-2,
                  note="+spans a line break")
    ann.add_claim(a_comb, *_find(TEXT_COMBINING, "called the ban =SUM(A1) \"a disgrace\""),
                  "alice", claimant_id=renee, target_id=ministry, category="rights",
                  stance=-2, note="=HYPERLINK(\"http://x\")")
    # former CRLF
    ann.add_mention(a_crlf, *_find(TEXT_CRLF, "NATO"), nato, "bob")
    ann.add_mention(a_crlf, *_find(TEXT_CRLF, "NATO", 1), nato, "bob")
    ann.add_claim(a_crlf, *_find(TEXT_CRLF, "NATO.\nLine two: NATO said troops stay"), "bob",
                  claimant_id=nato, category="security-military", stance=0)
    s.articles.set_status(a_emoji, "done")
    return s


@pytest.fixture
def hostile_project() -> Store:
    s = build_hostile_project()
    yield s
    s.close()
