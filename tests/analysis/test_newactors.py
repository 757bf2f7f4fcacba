"""New actors from the text itself: each kind of evidence, each language, and learning."""

from __future__ import annotations

import pytest

from stancemark.analysis.newactors import NameHints, new_actor_candidates


def names(text, covered=(), hints=None):
    return [(n.text, n.type) for n in new_actor_candidates(text, covered, hints)]


def reasons(text):
    return {n.text: n.reason for n in new_actor_candidates(text)}


@pytest.mark.parametrize("text, name, why", [
    ("The plan was drafted by Senator Wilma Ostrander last year.", "Wilma Ostrander", "title"),
    ("“We stay,” said Ostrander after the vote.", "Ostrander", "cue"),
    ("The levy will rise, Ostrander warned on Friday.", "Ostrander", "cue"),
    ("Bram Keel, chief economist at a bank, expects a recession.", "Bram Keel", "apposition"),
    ("Figures from the Fenwick Savings Bank were released.", "Fenwick Savings Bank",
     "organisation"),
    ("Strikes were called by the CGTX across the region.", "CGTX", "acronym"),
    ("The talks between Ilka Marsh and the mayor went on.", "Ilka Marsh", "2-word name"),
    ("Die Entscheidung kritisierte Verkehrsministerin Anke Roth scharf.", "Anke Roth", "title"),
    ("Der Deutsche Mieter- und Wohnungsbund lehnt den Plan ab.",
     "Deutsche Mieter- und Wohnungsbund", "organisation"),
    ("La décision a été prise selon Manon Vidal en juin.", "Manon Vidal", "cue"),
    ("Решение поддержала Ассоциация перевозчиков в среду.", "Ассоциация перевозчиков",
     "organisation"),
    ("Ekonomista Nenad Ristić smatra da je odluka loša.", "Nenad Ristić", "title"),
    ("Одлуку је критиковало Удружење превозника у среду.", "Удружење превозника",
     "organisation"),
])
def test_each_kind_of_evidence(text, name, why):
    got = reasons(text)
    assert name in got, got
    assert why in got[name], got[name]


def test_transcript_label_is_a_person():
    assert ("WALLACE", "person") in names("WALLACE: Do you think so?\nThe studio was quiet.")


@pytest.mark.parametrize("text", [
    "LONDON, May 2 - The port reopened.",                 # a dateline
    "БЕОГРАД - Лука је отворена.",
    "The port reopened on Monday in March.",              # sentence openers, dates
    "Die Regel treibe die Kosten in die Höhe.",           # German nouns
    "Nur die Kosten und Preise seien gestiegen.",         # nouns joined by "und"
    "Diplomats said the port was safe.",                  # a plural noun, not a name
    "The Party leader left.",                             # title after an org word
    "The ministers met in Novi Sad on Monday.",           # a place after "in"
    "Nobody told us about it.",
    "The Pro-government papers cheered.",
])
def test_no_names_where_there_are_none(text):
    assert names(text) == []


def test_covered_spans_are_never_offered():
    text = "Transport Secretary Gideon Harrow said the offer stands."
    assert names(text, [(20, 33)]) == []


def test_surname_and_repeats_follow_a_full_name():
    text = "The plan came from Ilka Marsh on Monday.\nMarsh defended it. Marsh left."
    got = new_actor_candidates(text)
    assert [n.text for n in got] == ["Ilka Marsh", "Marsh", "Marsh"]
    assert got[1].reason.startswith("last word of")


def test_hints_learn_first_names_titles_and_org_words_from_the_registry():
    hints = NameHints.learn([("Dragan Petrović", "person"), ("Ambassador Petrović", "person"),
                             ("Lindholm Ventures", "organisation"),
                             ("Handelsverband Westfalen", "organisation")])
    assert "dragan" in hints.first_names and "ambassador" in hints.titles
    assert "lindholm" in hints.org_words
    # beside a known organisation word the other end is a proper name, often a place
    assert "westfalen" not in hints.org_words
    assert names("Die Preise in Nordrhein-Westfalen steigen.", hints=hints) == []
    # a first name the project knows makes a sentence-initial name count
    assert ("Dragan Ilić", "person") in names("Dragan Ilić arrived late.", hints=hints)
    assert ("Dragan Ilić", "person") not in names("Dragan Ilić arrived late.")


def test_dismissed_names_never_return_and_their_words_count_against_others():
    text = "The show was hosted by Sunday Briefing and Sunday Review."
    assert [n for n, _ in names(text)] == ["Sunday Briefing", "Sunday Review"] or \
        names(text) == []  # month and day words already keep most of these out
    text = "The talks with Pelham Gate went on. Trucks left Pelham Docks early."
    assert [n for n, _ in names(text)] == ["Pelham Gate", "Pelham Docks"]
    hints = NameHints.learn([], dismissed=["Pelham Gate"])
    assert names(text, hints=hints) == []


@pytest.mark.parametrize("text, name", [
    ("Die Rede hielt Ursula von der Brück am Montag in der Halle.", "Ursula von der Brück"),
    ("Die Kritik kam von Manon Vidal, a fait savoir Matignon jeudi.", "Matignon"),
])
def test_connectors_and_weak_cues_name_actors(text, name):
    assert name in [n for n, _ in names(text)]


@pytest.mark.parametrize("text", [
    "Die Aussetzung der Tariftreue kritisierte sie scharf.",  # a German genitive, no name
    "Es kostet 40 Milliarden Euro bis 2030.",                   # units
    "Sie sagte eine Sprecherin. Umfrage läuft.",                # a title across a full stop
])
def test_genitives_units_and_sentence_bounds(text):
    assert names(text) == []


def test_german_nouns_joined_by_fuer_are_no_name():
    assert names("Die Regel treibe die Kosten für Kommunen in die Höhe.") == []


@pytest.mark.parametrize("text, name", [
    ("Iz Sindikata vozača upozoravaju da nema vozača.", "Sindikata vozača"),
    ("Verkehrsdezernent Martin Roth hält dagegen.", "Martin Roth"),
    ("An economist at Greyfield Capital expects growth.", "Greyfield Capital"),
])
def test_slavic_genitive_heads_german_titles_and_finance_names(text, name):
    assert name in [n for n, _ in names(text)]


@pytest.mark.parametrize("text", ["Energy bills are rising fast.",
                                  "Laut dem Verband brüten dort Vögel."])
def test_a_lower_case_word_after_an_english_or_german_org_word_is_no_genitive(text):
    assert names(text) == []


def test_words_qualifying_a_title_are_not_part_of_the_name() -> None:
    from stancemark.analysis.newactors import new_actor_candidates

    text = ("Foreign Minister Jelena Marković said the border must stay open. "
            "Deputy Prime Minister Oskar Lind agreed with her.")
    names = {c.text for c in new_actor_candidates(text)}
    assert {"Jelena Marković", "Oskar Lind"} <= names
    assert not any("Minister" in n for n in names)
