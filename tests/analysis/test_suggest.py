"""Actor matching and reported-speech candidates, on plain text with no store."""

from __future__ import annotations

import re
import unicodedata
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from stancemark.analysis.suggest import (
    ActorMatcher,
    claim_candidates,
    fast_fold,
    overlap_ratio,
    quotations,
    sentences,
    uncovered,
)
from stancemark.core.text import fold


def actor(id, name, *aliases, type="person"):
    return SimpleNamespace(id=id, name=name, aliases=list(aliases), type=type)


M = ActorMatcher.from_actors([
    actor(1, "Aleksandar Vučić", "Vucic", "the Serbian President"),
    actor(2, "Albin Kurti", "Kurti"),
    actor(3, "Serbia", "Belgrade", type="country"),
    actor(4, "United States", "US", type="country"),
    actor(5, "Petar Đurić", "Đurić"),
    actor(6, "Self-Determination", "the Front", type="party"),
])


def found(text):
    return [(h.text, h.actor_id) for h in M.find(text)]


def test_case_and_diacritics_fold_both_ways():
    assert found("Vucic, VUČIĆ, vučić and Vučić") == [("Vucic", 1), ("VUČIĆ", 1), ("vučić", 1),
                                                      ("Vučić", 1)]
    # decomposed input (c + combining caron) keeps its marks inside the span
    text = "Vuc\u030cic\u0301 spoke"
    hit = M.find(text)[0]
    assert text[hit.start:hit.end] == "Vuc\u030cic\u0301" and hit.actor_id == 1


def test_dj_folds_like_d_stroke():
    assert found("Djurić, Djuric and ĐURIĆ") == [("Djurić", 5), ("Djuric", 5), ("ĐURIĆ", 5)]


def test_whole_words_only():
    assert found("Kurtis, Kurtić, UnKurti, Serbian, Serbias, Kurti's") == [("Kurti", 2)]


def test_longest_match_wins_and_no_overlaps():
    assert found("Albin Kurti met the Serbian President Aleksandar Vučić.") == [
        ("Albin Kurti", 2), ("Serbian President", 1), ("Aleksandar Vučić", 1)]
    # multi-word names do not match across punctuation other than hyphens/periods
    assert found("Albin, Kurti") == [("Kurti", 2)]
    assert found("Self-Determination and Self Determination") == [
        ("Self-Determination", 6), ("Self Determination", 6)]


def test_acronyms_need_capitals_and_short_aliases_keep_the_article():
    assert found("The US said it would help us.") == [("US", 4)]
    # folding is case-blind, so "the front line" is found too; the article keeps "Front" alone out
    assert found("Front said; the Front said") == [("the Front", 6)]


def test_capital_after_locative_is_a_place():
    assert found("Belgrade rejected it at talks in Belgrade.") == [("Belgrade", 3)]
    assert found("Serbia's team in Serbia") == [("Serbia", 3), ("Serbia", 3)]  # a name: kept
    assert found("according to Kurti") == [("Kurti", 2)]  # persons' aliases are never places


def test_ambiguous_surface_lists_alternatives():
    m = ActorMatcher.from_actors([actor(1, "Kurti"), actor(2, "Albin Kurti", "Kurti")])
    hit = m.find("Kurti")[0]
    assert (hit.actor_id, hit.alternatives) == (1, (2,))


def test_uncovered_and_dismissed():
    hits = M.find("Kurti and Vucic and Kurti")
    assert [h.start for h in uncovered(hits, [(0, 3)], [(20, 25)])] == [10]


def _reference(text):
    out, idx = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        idx.extend([i] * len(f))
    return "".join(out), idx


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ Čćđß…\u0301\u030cﬁ„“İ.-x")), max_size=40))
def test_fast_fold_matches_the_per_character_reference(text):
    folded, fmap = fast_fold(text)
    ref, idx = _reference(text)
    assert folded == ref
    for pos in range(len(folded)):
        assert fmap.original(pos) == idx[pos]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Čćđß…\u0301\u030cﬁ„“İ")), max_size=6),
       st.integers(min_value=0, max_value=200))
def test_fast_fold_of_mostly_ascii_text_matches_the_reference(rare, cut):
    # the path for texts with few non-ASCII characters (most news in Latin script)
    text = ("Kurti met the U.S. envoy. " * 8)[:cut] + rare + " and left. " * 3
    folded, fmap = fast_fold(text)
    ref, idx = _reference(text)
    assert folded == ref
    for pos in range(len(folded)):
        assert fmap.original(pos) == idx[pos]


def test_sentences_respect_abbreviations_and_lines():
    text = "Mr. Kurti said it. Then U.S. officials left!  OK\n\nNext para. “Quoted.” Done"
    assert [text[s:e] for s, e in sentences(text)] == [
        "Mr. Kurti said it.", "Then U.S. officials left!", "OK", "Next para.", "“Quoted.”",
        "Done"]


def _reference_sentences(text):
    """Sentences as split before the speed-up: every full stop tried against the pattern."""
    from stancemark.analysis.suggest import _ABBREV

    ends = re.compile(r"([.!?\u2026]+[\"'\u201d\u2019\u00bb\u201c)]*)(?:\s+|$)|\n\s*")
    out, start = [], len(text) - len(text.lstrip())
    for m in ends.finditer(text):
        end = m.end(1)
        if end == -1:
            end = m.start()
            while end > start and text[end - 1].isspace():
                end -= 1
        elif text[m.start()] == "." and _ABBREV.search(text, max(start, m.start() - 5),
                                                        m.start() + 1):
            continue
        if end > start:
            out.append((start, end))
        start = m.end()
    end = len(text.rstrip())
    if end > start:
        out.append((start, end))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Mr.", "Mrs.", "Dr.", "U.S.", "A.", "x.", "etc.", "vs.",
                                 "Capt.", "said.", "No.", "Casino.", "MrX.", "!", "?", "…",
                                 "“Yes.”", "\n", " ", "Kurti", "Sen.", "iSt."]), max_size=14))
def test_sentence_split_is_unchanged_by_the_abbreviation_precheck(parts):
    text = " ".join(parts)
    assert sentences(text) == _reference_sentences(text)


def test_poll_words_found_in_one_scan_agree_with_the_word_test():
    from stancemark.analysis import cues

    assert all(len(w) >= 4 for w in cues.STUDY_WORDS)  # what names_study relies on
    for text in ["a new poll found", "die umfragen zeigen", "selon un sondage", "opros",
                 "опроса фонда", "anketa je", "the pollster", "apoll", "the study's",
                 "istrazivanja", "no such word here", "polls", "re-survey", "x_poll"]:
        words = re.findall(r"\w+", text)
        assert cues.names_study(text) == any(cues.is_study(w) for w in words), text


def test_quotations_in_all_usual_marks():
    text = ("He said “we will not accept this,” then „ovo je dobro rečeno“ and «nous ne "
            "céderons pas» and ‚so nicht‘ and \"plain one here\" and ‘single quoted words’. "
            "Kurti’s view stays.")
    assert [text[s:e] for s, e in quotations(text)] == [
        "we will not accept this", "ovo je dobro rečeno", "nous ne céderons pas", "so nicht",
        "plain one here", "single quoted words"]


def test_claim_candidates_quotes_and_reporting_verbs_with_speakers():
    text = ("“We will never recognise this border,” Vučić said on Monday. "
            "Kurti accused Belgrade of sabotage. The weather was fine. "
            "According to Kurti, the talks are over. "
            "The “terrorists” left. She called for calm.\n"
            "Kurti arrived. “This is a dark day for all of us,” he said.")
    occ = [(h.start, h.end, h.actor_id) for h in M.find(text)]
    got = [(text[c.start:c.end], c.claimant_id, c.reason) for c in claim_candidates(text, occ)]
    assert got == [
        ("We will never recognise this border", 1, "quote"),
        ("Kurti accused Belgrade of sabotage.", 2, "verb:accused"),
        ("According to Kurti, the talks are over.", 2, "verb:according"),
        # "she" stands for the person named last before (no types given: any actor)
        ("She called for calm.", 2, "verb:called; speaker: 'she' \u2192 nearest person named "
                                    "before"),
        ("This is a dark day for all of us", 2,
         "quote; speaker: 'he' \u2192 nearest person named before"),
    ]


def test_overlap_ratio():
    assert overlap_ratio((0, 10), (5, 30)) == 0.5
    assert overlap_ratio((0, 10), (10, 20)) == 0.0


def test_combining_marks_are_not_lost():
    assert unicodedata.combining("\u0301")
