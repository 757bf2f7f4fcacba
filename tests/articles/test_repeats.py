"""The batch pass: lines a site repeats across its pages are dropped, the articles are not."""

from __future__ import annotations

from stancemark.articles import read_bytes
from stancemark.articles.repeats import RepeatedLines
from stancemark.core.models import ArticleDraft

FOOTER = "Support the Harbour Gazette: become a member and read every story without limits."
MENU = "The Harbour Gazette"

STORIES = [
    ("Ferry fares to rise in June",
     "The ferry company said on Monday that fares on all island routes would rise by eight "
     "percent from June, blaming fuel and staff costs that have grown faster than expected."),
    ("New head for the harbour school",
     "The harbour school has appointed a new head teacher after a search that lasted most of the "
     "year, the governors said, praising her work with pupils who have fallen behind."),
    ("Fish market to reopen after repairs",
     "The covered fish market will reopen next week after three months of repairs to its roof, "
     "which was badly damaged in the January storms, the town council announced on Friday."),
    ("Storm warning for the weekend",
     "Forecasters have warned of gales along the whole coast on Saturday night, with gusts that "
     "could reach a hundred kilometres an hour on the headlands and in exposed harbours."),
]


def page(title: str, body: str, extra: str = "") -> bytes:
    return "\n".join([MENU, "", title, "", body, "", extra or "", FOOTER, ""]).encode("utf-8")


def drafts(n: int = 4) -> list[ArticleDraft]:
    return [read_bytes(page(t, b), name=f"{i}.txt") for i, (t, b) in enumerate(STORIES[:n])]


def test_footer_sentence_repeated_on_every_page_is_dropped():
    single = drafts()
    assert all(FOOTER in d.text for d in single)  # one file cannot tell it from text
    cleaned = RepeatedLines().clean(("gazette", d) for d in single)
    for d, (title, body) in zip(cleaned, STORIES, strict=True):
        assert FOOTER not in d.text
        assert d.title == title and body in d.text
        assert FOOTER in d.raw  # the file as read is kept whole
        assert d.meta["dropped_lines"]["repeated"] >= 1


def test_site_name_taken_for_a_title_is_replaced_by_the_real_title():
    pages = [read_bytes(f"{MENU}\n\n{b}\n\n{FOOTER}\n".encode(), name=f"{i}.txt")
             for i, (_t, b) in enumerate(STORIES)]
    assert pages[0].title == MENU  # alone, the site's name looks like a title
    cleaned = RepeatedLines().clean(("gazette", d) for d in pages)
    assert all(d.title != MENU and MENU not in d.text for d in cleaned)


def test_a_page_keeps_its_title_when_the_other_pages_link_to_it():
    linked = STORIES[0][0]
    pages = [read_bytes(page(t, b, extra=f"Most read\n{linked}\nPrices soar at the market"),
                        name=f"{i}.txt") for i, (t, b) in enumerate(STORIES)]
    cleaned = RepeatedLines().clean(("gazette", d) for d in pages)
    assert cleaned[0].title == linked and cleaned[0].text.startswith(linked)
    assert all(linked not in d.text for d in cleaned[1:])


def test_too_few_files_teach_nothing():
    two = drafts(2)
    before = [d.text for d in two]
    cleaned = RepeatedLines().clean(("gazette", d) for d in two)
    assert [d.text for d in cleaned] == before


def test_sources_are_learnt_apart():
    mixed = [(f"site-{i % 2}", d) for i, d in enumerate(drafts())]  # two files per source
    cleaned = RepeatedLines().clean(mixed)
    assert all(FOOTER in d.text for d in cleaned)


def test_versions_of_one_story_keep_their_paragraphs():
    """Three saved versions of one story repeat its paragraphs: that is not furniture."""
    title, body = STORIES[0]
    more = "Passenger groups said they would ask the regulator to look at the increase."
    versions = [read_bytes(f"{title}\n\n{body}\n\n{more}\n\nUpdate {i}: the company has not "
                           f"replied to questions sent on day {i}.\n".encode(), name=f"v{i}.txt")
                for i in range(4)]
    cleaned = RepeatedLines().clean(("gazette", d) for d in versions)
    assert all(body in d.text and more in d.text for d in cleaned)


def test_other_formats_are_left_alone():
    d = ArticleDraft(text=f"{FOOTER}\n\nText.", raw=f"{FOOTER}\n\nText.", fmt="csv")
    same = [ArticleDraft(text=d.text, raw=d.raw, fmt="csv") for _ in range(5)]
    cleaned = RepeatedLines().clean(("table", x) for x in same)
    assert all(x.text == d.text for x in cleaned)


def test_learning_stops_after_the_first_files_of_a_source():
    learner = RepeatedLines(learn=3)
    learner.clean(("gazette", d) for d in drafts(4))
    assert learner._files["gazette"] == 3
