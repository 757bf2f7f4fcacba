"""Scraped plain text: the reference sample and our own fixtures in its shapes."""

from datetime import datetime
from pathlib import Path

import pytest

from stancemark.articles import read_bytes, read_file
from stancemark.articles.plain import chrome_kind

SAMPLE = Path("/work/shared/samples/scraped-article.txt")


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample not present")
def test_reference_sample():
    draft = read_file(SAMPLE)
    raw_lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert draft.title == "NATO reinforces presence in Kosovo"
    assert draft.published == datetime(2022, 12, 17, 11, 41)
    assert draft.text.startswith("NATO reinforces presence in Kosovo\n\nThe KFOR peacekeeping")
    assert draft.subtitle and draft.subtitle.startswith("The KFOR peacekeeping force")
    # every body paragraph of the file is kept, whole and in order
    body = [ln for ln in raw_lines if len(ln) > 150 and "icon" not in ln]
    assert len(body) >= 8
    assert paragraphs(draft.text)[2:] == body
    assert draft.text.count("NATO reinforces presence in Kosovo") == 1
    for junk in ("icon", "Podcasts", "0:00", "28:21", "25:26"):
        assert junk not in draft.text
    assert draft.text == draft.text.strip() and "\n\n\n" not in draft.text
    assert draft.meta["dropped_lines"]["player"] == 5
    assert draft.raw.startswith("icon bookmark")


def test_icon_chrome_dateline_caption_player(fixture_path):
    draft = read_file(fixture_path("icon_chrome_dateline.txt"))
    assert draft.title == "Harbour workers strike over port privatisation plan"
    assert draft.published == datetime(2023, 2, 3, 9, 15)
    assert draft.subtitle == (
        "Unions say the sale of the container terminal would cost hundreds of jobs along the coast"
    )
    paras = paragraphs(draft.text)
    assert paras[0] == draft.title and paras[1] == draft.subtitle
    assert paras[2].startswith("Dock workers in Valmora walked off the job on Friday")
    assert paras[-1] == (
        "Shipping companies warned that a long stoppage would disrupt supply chains "
        "across the region."
    )
    assert len(paras) == 6
    assert "icon" not in draft.text and "none" not in draft.text and "Podcasts" not in draft.text
    assert draft.meta["dropped_lines"] == {"chrome": 1, "player": 5, "dateline": 1, "caption": 1}


def test_iso_dateline_and_no_lede(fixture_path):
    draft = read_file(fixture_path("iso_dateline_no_lede.txt"))
    assert draft.title == "Court suspends controversial media law"
    assert draft.published == datetime(2023, 5, 11)
    assert draft.subtitle is None
    paras = paragraphs(draft.text)
    assert len(paras) == 4
    assert paras[1].startswith("The constitutional court on Thursday suspended a law")
    assert "2023-05-11" not in draft.text


def test_weekday_dateline_with_zone(fixture_path):
    draft = read_file(fixture_path("weekday_gmt.txt"))
    assert draft.published == datetime(2023, 3, 4, 8, 30)
    assert draft.meta["published_tz"] == "GMT"
    assert draft.title == "Foreign ministers fail to agree on grain corridor"
    assert draft.subtitle == "A two-day meeting ended without a joint statement"
    assert len(paragraphs(draft.text)) == 4


def test_cookie_banner_and_dotted_date(fixture_path):
    draft = read_file(fixture_path("dotted_date_cookie.txt"))
    assert draft.published == datetime(2023, 6, 12)  # day first: 12 June
    assert draft.title == "Farmers block highway in protest over fuel prices"
    assert "cookie" not in draft.text.lower()
    assert "Accept all" not in draft.text and "Manage preferences" not in draft.text
    assert paragraphs(draft.text)[-1].startswith("Finance Minister Petra Holm said")


def test_share_lines_byline_and_iso_datetime(fixture_path):
    draft = read_file(fixture_path("iso_datetime_share.txt"))
    assert draft.published == datetime(2023, 9, 2, 14, 5)
    assert draft.meta["published_tz"] == "+02:00"
    assert draft.author == "Marta Kowalczyk"
    assert draft.title == "Election monitors report irregularities in regional vote"
    for junk in ("Share this article", "Follow us", "Read more", "Tweet", "Email", "By Marta"):
        assert junk not in draft.text
    paras = paragraphs(draft.text)
    assert len(paras) == 4
    assert paras[2].startswith("The electoral commission dismissed the report.")
    assert paras[2].endswith('drawn sweeping conclusions."')


def test_menu_line_and_no_date(fixture_path):
    draft = read_file(fixture_path("no_date_menu.txt"))
    assert draft.published is None
    assert draft.title == "Aid convoy reaches besieged town after weeks of talks"
    assert "Home" not in draft.text and "Politics" not in draft.text
    assert len(paragraphs(draft.text)) == 3


def test_crlf_and_title_repeated_as_caption(fixture_path):
    path = fixture_path("crlf_caption.txt")
    assert b"\r\n" in path.read_bytes()
    draft = read_file(path)
    assert "\r" not in draft.text
    assert "\r\n" in draft.raw  # raw keeps the line ends as decoded
    assert draft.title == "Central bank raises rates for the fourth time"
    assert draft.text.count(draft.title) == 1
    paras = paragraphs(draft.text)
    assert paras[1] == (
        "The central bank raised its main interest rate by half a point on Wednesday, "
        "citing persistent inflation."
    )  # trailing spaces stripped
    assert len(paras) == 3  # the run of blank lines collapsed


def test_very_short_article(fixture_path):
    draft = read_file(fixture_path("very_short.txt"))
    assert draft.title == "Ceasefire holds in border town"
    assert draft.subtitle is None
    assert draft.text == (
        "Ceasefire holds in border town\n\n"
        "Local officials said the night passed quietly for the first time in a week."
    )


def test_sentence_with_year_is_not_a_dateline(fixture_path):
    draft = read_file(fixture_path("year_in_body.txt"))
    assert draft.published is None
    assert paragraphs(draft.text)[1] == "In 2019, the treaty was signed."


def test_hard_wrapped_paragraph_kept_whole():
    data = (
        b"Talks resume in Vienna\n\nThe delegations met again on Monday\n"
        b"after a pause of three weeks, officials said.\n\nNo statement was issued."
    )
    draft = read_bytes(data, name="wrapped.txt")
    assert paragraphs(draft.text) == [
        "Talks resume in Vienna",
        "The delegations met again on Monday\nafter a pause of three weeks, officials said.",
        "No statement was issued.",
    ]


def test_no_title_line_when_article_starts_with_a_paragraph():
    long = "The ministry said on Monday that " + "talks would continue " * 20 + "next week."
    draft = read_bytes((long + "\n\nA second paragraph follows.").encode(), name="x.txt")
    assert draft.title is None
    assert draft.text.startswith("The ministry said on Monday")


@pytest.mark.parametrize(
    "line",
    [
        "0:00",
        "1:02:03",
        "25:26none",
        "none",
        "Podcasts",
        "Share",
        "Share this article",
        "Follow us on Twitter",
        "Subscribe to our newsletter",
        "Read more: Minister resigns after audit",
        "Home | World | Politics | Business",
        "home news world business sport tech opinion video",
        "Accept all cookies",
        "Advertisement",
        "We use cookies to improve your experience. By using this site you accept our policy.",
    ],
)
def test_chrome_lines_are_recognised(line):
    assert chrome_kind(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "NATO reinforces presence in Kosovo",
        "Share prices fell sharply after the announcement.",
        "Subscribers to the state broadcaster will pay more from January, the regulator said.",
        "The opposition said it would follow the talks closely.",
        "The EU said it would fine companies that set cookies without asking users first.",
        "Protesters block highway demanding snap elections amid fuel price hikes",
        "World leaders gather in Paris",
    ],
)
def test_text_lines_are_kept(line):
    assert chrome_kind(line) is None
