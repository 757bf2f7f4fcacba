"""The scraped-text cleaner's rules one by one, and its figures on the evaluation set.

Each page here is a small scraped page of our own writing: the site's menu
above, the article, the site's lists and footer below. A rule's test checks
what an analyst would look for in the imported article: the text is all there,
the furniture is gone, the title is the article's.
"""

from __future__ import annotations

import pytest

from stancemark.articles import read_bytes
from stancemark.articles.plain import _language, chrome_kind, clean_scraped
from stancemark.articles.wordlists import STOPWORDS, to_cyrillic
from tests.articles import cleaner_eval as ce


def read(text: str):
    return read_bytes(text.encode("utf-8"), name="page.txt")


def lines_of(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln]


# ------------------------------------------------------------------ the evaluation set


@pytest.fixture(scope="module")
def dev():
    return ce.load("dev")


def test_evaluation_set_shape():
    pages = ce.load()
    sites = {p.site for p in pages}
    languages = {p.language for p in pages}
    assert len(pages) >= 40 and len(sites) >= 8 and len(languages) >= 5
    assert {"dev", "heldout", "heldout2", "heldout3"} == {p.split for p in pages}
    for site in sites:  # several pages per site, so the batch pass has something to learn
        assert sum(p.site == site for p in pages) >= 4


def test_single_file_meets_the_targets_on_dev_with_margin(dev):
    scores = ce.evaluate(dev, ce.single)
    assert scores["all"].content >= 0.98  # target 0.95
    assert scores["all"].chrome <= 0.15  # target 0.30
    for lang, s in scores.items():  # no language far behind the others
        assert s.content >= 0.95 and s.chrome <= 0.30, lang


def test_batch_meets_the_targets_on_dev_and_beats_single_file(dev):
    single = ce.evaluate(dev, ce.single)["all"]
    batch = ce.evaluate(dev, ce.batch)["all"]
    assert batch.content >= 0.98
    assert batch.chrome <= 0.05
    assert batch.chrome < single.chrome


def test_raw_text_baseline_keeps_everything(dev):
    raw = ce.evaluate(dev, ce.raw)["all"]
    assert raw.content == 1.0 and raw.chrome == 1.0


@pytest.mark.parametrize("split", ["heldout", "heldout2"])
def test_heldout_sites_meet_the_targets(split):
    """Sites written before the rules were tuned (an English tabloid, Italian, Serbian
    Cyrillic; an English TV station, a German magazine, Polish with no word list). Their
    first, blind figures are in the README; these guard what they have taught since."""
    for mode in (ce.single, ce.batch):
        scores = ce.evaluate(ce.load(split), mode)
        assert scores["all"].content >= 0.95
        assert scores["all"].chrome <= 0.30


def test_third_heldout_split_meets_the_targets_overall_as_measured_blind():
    """Four sites written after all the rules and measured once, blind, with no tuning
    after (a Portuguese regional daily, a Russian news agency, an English long-read
    magazine, a Dutch regional broadcaster). Measured: single file 0.972 / 0.144, batch
    0.972 / 0.091; these bounds keep that margin over the targets (0.95 / 0.30). Per
    site it misses: the magazine leaves 0.504 of its chrome (batch 0.319) and the Dutch
    site keeps 0.902 of its content, so there is no per-language bound here. The rules
    taught since by three new dev sites (written from those misses, its pages unread)
    measured on it once: 1.000 / 0.038, batch 1.000 / 0.025; the bounds stay as they were."""
    pages = ce.load("heldout3")
    single = ce.evaluate(pages, ce.single)["all"]
    batch = ce.evaluate(pages, ce.batch)["all"]
    assert single.content >= 0.97 and single.chrome <= 0.15
    assert batch.content >= 0.97 and batch.chrome <= 0.10


# ------------------------------------------------------------------ languages

PAGES = {
    "de": (
        "Startseite Politik Wirtschaft Sport Kultur",
        "Neue Brücke über den Fluss wird im Sommer eröffnet",
        "Die neue Brücke zwischen Altdorf und Neudorf soll im Juli für den Verkehr freigegeben "
        "werden. Das teilte das Bauamt am Montag mit, nachdem die letzten Prüfungen an den "
        "Pfeilern abgeschlossen worden waren.",
        "Die Anwohner hatten jahrelang auf die Verbindung gewartet. Bisher müssen sie einen "
        "Umweg von fast zwanzig Kilometern fahren, wenn sie in die Kreisstadt wollen.",
        ["Mehr zum Thema", "Bürgermeister eröffnet neuen Spielplatz", "Sommerfest am See abgesagt",
         "Impressum", "Datenschutz"],
    ),
    "fr": (
        "Accueil Actualité Politique Économie Sports",
        "Le nouveau pont sera ouvert cet été",
        "Le nouveau pont entre les deux rives sera ouvert à la circulation en juillet, a annoncé "
        "lundi la mairie, après la fin des derniers essais sur les piles de l'ouvrage.",
        "Les habitants attendaient ce pont depuis des années. Jusqu'ici, ils devaient faire un "
        "détour de près de vingt kilomètres pour se rendre à la ville voisine.",
        ["Sur le même sujet", "Le maire inaugure un nouveau parc", "La fête du lac est annulée",
         "Mentions légales", "Nous contacter"],
    ),
    "es": (
        "Inicio | Nacional | Internacional | Economía | Deportes",
        "El nuevo puente se abrirá este verano",
        "El nuevo puente entre las dos orillas del río se abrirá al tráfico en julio, anunció el "
        "lunes el ayuntamiento, tras terminar las últimas pruebas en los pilares de la obra.",
        "Los vecinos llevaban años esperando el puente. Hasta ahora tenían que dar un rodeo de "
        "casi veinte kilómetros para llegar a la ciudad vecina.",
        ["Más noticias", "El alcalde inaugura un nuevo parque", "Se suspende la fiesta del lago",
         "Aviso legal", "Contacto"],
    ),
    "it": (
        "Home Cronaca Politica Economia Sport",
        "Il nuovo ponte aprirà quest'estate",
        "Il nuovo ponte tra le due sponde del fiume sarà aperto al traffico a luglio, ha "
        "annunciato lunedì il Comune, dopo la fine delle ultime prove sui piloni dell'opera.",
        "Gli abitanti aspettavano il ponte da anni. Finora dovevano fare una deviazione di quasi "
        "venti chilometri per arrivare nella città vicina.",
        ["Potrebbe interessarti anche", "Il sindaco inaugura un nuovo parco",
         "Annullata la festa del lago", "Chi siamo", "Redazione"],
    ),
    "ru": (
        "Главная Новости Политика Экономика Спорт",
        "Новый мост откроют этим летом",
        "Новый мост между двумя берегами реки откроют для движения в июле, сообщили в "
        "понедельник в администрации города после завершения последних испытаний опор.",
        "Жители ждали этот мост много лет. До сих пор им приходилось делать крюк почти в двадцать "
        "километров, чтобы попасть в соседний город.",
        ["Новости по теме", "Мэр открыл новый парк", "Праздник на озере отменили",
         "О редакции", "Контакты"],
    ),
    "sr": (
        "Naslovna Vesti Politika Ekonomija Sport",
        "Novi most biće otvoren ovog leta",
        "Novi most između dve obale reke biće otvoren za saobraćaj u julu, saopštila je u "
        "ponedeljak gradska uprava, nakon što su završena poslednja ispitivanja stubova.",
        "Meštani su godinama čekali most. Do sada su morali da idu zaobilaznim putem od skoro "
        "dvadeset kilometara da bi stigli do susednog grada.",
        ["Povezane vesti", "Gradonačelnik otvorio novi park", "Otkazan festival na jezeru",
         "Impresum", "Marketing"],
    ),
    "sr-Cyrl": (
        "Почетна Вести Политика Економија Спорт",
        "Нови мост биће отворен овог лета",
        "Нови мост између две обале реке биће отворен за саобраћај у јулу, саопштила је у "
        "понедељак градска управа, након што су завршена последња испитивања стубова.",
        "Мештани су годинама чекали мост. До сада су морали да иду заобилазним путем од скоро "
        "двадесет километара да би стигли до суседног града.",
        ["Повезане вести", "Градоначелник отворио нови парк", "Отказан фестивал на језеру",
         "Импресум", "Маркетинг"],
    ),
}


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_each_language_keeps_the_article_and_drops_menus_and_lists(lang):
    menu, title, para1, para2, below = PAGES[lang]
    page = "\n".join(["Site", menu, "", title, "", para1, "", para2, "", *below]) + "\n"
    draft = read(page)
    assert draft.title == title
    assert lines_of(draft.text) == [title, para1, para2]
    assert _language(page.splitlines()) == lang


@pytest.mark.parametrize("lang", sorted(STOPWORDS))
def test_function_word_lists_are_short_and_lower_case(lang):
    words = STOPWORDS[lang]
    assert 60 <= len(words) <= 200
    assert all(w == w.lower() for w in words)


def test_serbian_cyrillic_list_is_the_latin_one_transliterated():
    assert to_cyrillic("njegova") == "његова" and to_cyrillic("ljudi") == "људи"
    assert to_cyrillic("može") in STOPWORDS["sr-Cyrl"]


def test_no_language_is_guessed_from_a_few_words():
    assert _language(["Home World Sport", "Contact us: terms of use and privacy"]) is None


# ------------------------------------------------------------------ rules

ARTICLE = [
    "The regional assembly approved a plan on Thursday to rebuild the coastal road, which has "
    "been closed for most of the winter after storms washed away two sections near the harbour.",
    "Work will start in April and should take about eighteen months, the transport office said. "
    "Buses will use the inland route until then, adding twenty minutes to the journey.",
    "Residents of the harbour district, who have been cut off from the town centre for weeks, "
    "welcomed the decision but said they had heard such promises before.",
]


def page(*parts: str | list[str]) -> str:
    out: list[str] = []
    for p in parts:
        out.extend(p if isinstance(p, list) else [p])
    return "\n".join(out) + "\n"


def test_long_line_without_function_words_is_dropped_even_among_paragraphs():
    tags = ("Coastal road Harbour district Regional assembly Transport office Storm damage "
            "Winter closures Bus routes Town centre Infrastructure Budget 2024 Elections")
    draft = read(page("Coastal road to be rebuilt", "", ARTICLE[0], "", tags, "", *ARTICLE[1:]))
    assert tags not in draft.text
    assert all(p in draft.text for p in ARTICLE)


def test_list_of_short_headlines_after_the_article_is_dropped():
    related = ["Storm warning for the weekend", "Ferry timetable changes in May",
               "New head for the harbour school", "Fish market to reopen"]
    draft = read(page("Coastal road to be rebuilt", "", *ARTICLE, "", *related))
    assert lines_of(draft.text) == ["Coastal road to be rebuilt", *ARTICLE]


def test_subheading_between_paragraphs_is_kept():
    draft = read(page("Coastal road to be rebuilt", "", ARTICLE[0], "", "What happens next", "",
                      *ARTICLE[1:]))
    assert "What happens next" in lines_of(draft.text)


def test_short_last_sentence_is_kept_and_a_lone_label_after_it_is_not():
    draft = read(page("Coastal road to be rebuilt", "", *ARTICLE, "The work starts in April.",
                      "Our journalism", "Support us"))
    assert lines_of(draft.text)[-1] == "The work starts in April."


def test_short_article_keeps_its_short_lines():
    """No long paragraph to lean on: the middling line is the text, and so are the short
    lines after it (a sentence broken over lines by the scraper)."""
    draft = read(page("Council approves the harbour budget", "",
                      "The city council approved the harbour budget on Tuesday.",
                      "The opposition", "objected.", "It was late."))
    assert lines_of(draft.text)[1:] == [
        "The city council approved the harbour budget on Tuesday.", "The opposition",
        "objected.", "It was late."]


def test_one_sentence_paragraphs_of_a_tabloid_are_kept():
    short = ["The council boss has quit after a row over a jet trip paid for by the town.",
             "He said he had done nothing wrong but would step down to end the distraction.",
             "The council said it would now review all travel spending by its officers.",
             "A campaigner said every penny should be paid back to the people of the town."]
    draft = read(page("NEWS SHOWBIZ SPORT", "BREAKING", "", "Council boss quits", "", *short,
                      "", "MORE TOP STORIES", "STAR WEDS IN SECRET", "HEATWAVE ON THE WAY",
                      "PRICES SOAR"))
    assert lines_of(draft.text) == ["Council boss quits", *short]


def test_site_name_and_section_above_the_title_are_not_the_title():
    draft = read(page("The Harbour Gazette", "Local news", "Home", "",
                      "Coastal road to be rebuilt", "", *ARTICLE))
    assert draft.title == "Coastal road to be rebuilt"
    assert "Harbour Gazette" not in draft.text and "Local news" not in draft.text


def test_title_and_lede_above_the_byline_when_utility_lines_follow_them():
    lede = "Storms closed it for most of the winter and the harbour was cut off"
    draft = read(page("Menu", "Search", "Coastal road to be rebuilt", lede, "By Ana Lind",
                      "12.05.2023, 06.00", "Listen • 7 min", "Bookmark", "View 12 comments", "",
                      *ARTICLE))
    assert draft.title == "Coastal road to be rebuilt"
    kept = [ln for ln in lines_of(draft.text) if ln not in ("By Ana Lind", "12.05.2023, 06.00")]
    assert kept == ["Coastal road to be rebuilt", lede, *ARTICLE]


def test_kicker_between_title_and_lede_is_dropped():
    lede = "Storms closed it for most of the winter and the harbour was cut off"
    draft = read(page("Coastal road to be rebuilt", "EXCLUSIVE", lede, "", *ARTICLE))
    assert draft.title == "Coastal road to be rebuilt"
    assert "EXCLUSIVE" not in draft.text and lede in draft.text


def test_comment_section_ends_the_article():
    comments = ["3 thoughts on “Coastal road to be rebuilt”", "Jan says:",
                "About time too. I have been driving the long way round for months now.",
                "Reply"]
    draft = read(page("Coastal road to be rebuilt", "", *ARTICLE, "", *comments))
    assert lines_of(draft.text) == ["Coastal road to be rebuilt", *ARTICLE]


@pytest.mark.parametrize(
    "line",
    [
        "Wir verwenden Cookies, um unsere Website für Sie zu verbessern.",
        "Nous utilisons des cookies pour mesurer l'audience de notre site.",
        "Utilizamos cookies propias y de terceros para analizar el tráfico.",
        "Questo sito utilizza cookie tecnici e di profilazione.",
        "Мы используем файлы cookie для улучшения работы сайта.",
        "Ovaj sajt koristi kolačiće kako bi vam pružio bolje iskustvo.",
        "Овај сајт користи колачиће. Наставком коришћења прихватате њихову употребу.",
        "Lesen Sie auch: Neue Brücke wird im Sommer eröffnet",
        "Lire aussi : Le nouveau pont sera ouvert cet été",
        "Leggi anche: Il nuovo ponte aprirà quest'estate",
        "Читайте также: Новый мост откроют этим летом",
        "Pročitajte još: Novi most biće otvoren ovog leta",
        "Прочитајте још: Нови мост биће отворен овог лета",
        "The flooded road near the harbour. Photo: Harbour Gazette / Ana Lind",
        "Teilen", "Partager", "Compartir", "Condividi", "Поделиться", "Podeli", "Подели",
        "Anzeige", "Publicité", "Pubblicità", "Реклама", "Reklama",
        "Copier le lien", "Facebook Twitter Viber", "ВКонтакте Telegram Одноклассники",
        "Mehr zum Thema", "Les plus lus", "Más noticias", "Самое читаемое", "Najčitanije",
        "Startseite Region Politik Wirtschaft Sport", "Главная Новости Политика Экономика",
    ],
)
def test_chrome_lines_in_other_languages_are_recognised(line):
    assert chrome_kind(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Die Regierung will Cookies ohne Zustimmung der Nutzer verbieten, sagte die Ministerin.",
        "Le maire a dit qu'il lirait aussi le rapport de la commission avant de décider.",
        "Друштво фотографа представило је изложбу о старом граду.",
    ],
)
def test_text_lines_in_other_languages_are_kept(line):
    assert chrome_kind(line) is None


def test_known_chrome_lines_are_dropped_and_counted():
    footer = "Support independent local journalism: become a member of the Gazette today."
    text = page("Coastal road to be rebuilt", "", *ARTICLE, footer)
    assert footer in clean_scraped(text).text
    cleaned = clean_scraped(text, known_chrome=frozenset([footer]))
    assert footer not in cleaned.text
    assert cleaned.meta["dropped_lines"]["repeated"] == 1


# ------------------------------------------------------------------ rules heldout3 pointed to
# Taught by the dev sites kestrel-monthly, rtv-zuidwaard and jornal-da-ribeira, written
# with the shapes heldout3 missed (its pages were not read).


def test_new_dev_sites_meet_the_targets_on_their_own():
    """The three dev sites written for these rules: a culture magazine (pull quotes,
    bios, a book's details box, a video block), a Dutch broadcaster (video leftovers,
    a ticker, bylines with "Door"), a Portuguese paper ("PUB", "Leia também")."""
    pages = [p for p in ce.load("dev")
             if p.site in ("kestrel-monthly", "rtv-zuidwaard", "jornal-da-ribeira")]
    assert len(pages) == 12
    for mode in (ce.single, ce.batch):
        s = ce.evaluate(pages, mode)["all"]
        assert s.content >= 0.98 and s.chrome <= 0.10


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("Door Lieke Bos", "Lieke Bos"),
        ("Words by Nadia Farouk", "Nadia Farouk"),
        ("Reviewed by Tom Ashdown", "Tom Ashdown"),
        ("Interview by Owen Tremayne", "Owen Tremayne"),
        ("Von Jana Keller", "Jana Keller"),
        ("Par Claire Morel", "Claire Morel"),
        ("Por Inês Cardoso", "Inês Cardoso"),
        ("Autor: Carla Pinto", "Carla Pinto"),
        ("Texto: Rui Moreira", "Rui Moreira"),
        ("Tekst: Mila Verhoeven", "Mila Verhoeven"),
        ("Текст: Анна Лебедева", "Анна Лебедева"),
        ("Piše: Milan Ilić", "Milan Ilić"),
    ],
)
def test_bylines_in_other_forms_are_the_author_not_the_title(byline, author):
    draft = read(page("Menu", "Coastal road to be rebuilt", byline, "12 May 2024", "",
                      *ARTICLE))
    assert draft.title == "Coastal road to be rebuilt"
    assert draft.author == author
    assert lines_of(draft.text) == ["Coastal road to be rebuilt", *ARTICLE]


def test_a_lower_case_phrase_after_door_is_not_a_byline():
    draft = read(page("Door prizes for every visitor to the harbour fair", "", *ARTICLE))
    assert draft.author is None
    assert draft.title == "Door prizes for every visitor to the harbour fair"


@pytest.mark.parametrize(
    "media",
    [
        ["The flooded road near the harbour on Sunday", "Play video", "01:12"],
        ["Brandweer bij de loods aan de haven", "Video afspelen",
         "Brandweercommandant: 'Het was een zware nacht'", "02:03"],
        ["Watch: the harbour road after the storm (2:41)", "Play video", "0:00 / 2:41"],
        ["Veja a galeria: 18 fotos", "Os estragos na estrada do porto"],
        ["The Harbour Road", "by Ana Lind", "Quayside Press, 212pp, £14.99", "Buy from our shop"],
    ],
    ids=["video-en", "video-nl", "video-caption-duration", "gallery-pt", "book-box"],
)
def test_media_or_product_box_under_the_byline_is_not_the_title(media):
    lede = "Storms closed it for most of the winter and the harbour was cut off"
    draft = read(page("Menu", "Search", "", "Coastal road to be rebuilt", lede, "By Ana Lind",
                      "12 May 2024", "", *media, "", *ARTICLE))
    assert draft.title == "Coastal road to be rebuilt"
    kept = [ln for ln in lines_of(draft.text) if ln not in ("By Ana Lind", "12 May 2024")]
    assert kept == ["Coastal road to be rebuilt", lede, *ARTICLE]


@pytest.mark.parametrize("lang", ["pt", "nl"])
def test_ticker_entries_above_the_title_are_not_a_dateline(lang):
    ticker = {
        "pt": ["Última hora", "16:20 Ciclista ferido em colisão com carrinha na estrada",
               "15:45 Mercado municipal encerra mais cedo na sexta-feira"],
        "nl": ["Net binnen", "16:20 Fietser gewond bij aanrijding op de dijk",
               "15:58 Veerpont tijdelijk uit de vaart door storing"],
    }[lang]
    draft = read(page(*ticker, "", "Coastal road to be rebuilt", "12 May 2024", "", *ARTICLE))
    assert draft.title == "Coastal road to be rebuilt"
    assert draft.published is not None and draft.published.day == 12
    assert lines_of(draft.text) == ["Coastal road to be rebuilt", *ARTICLE]


@pytest.mark.parametrize(
    "crumb", ["Desporto > Futebol", "Nieuws › Dordrecht", "Home / Essays / Places",
              "Sport » Voetbal » Eredivisie", "Região / Arouca"])
def test_breadcrumbs_are_chrome(crumb):
    assert chrome_kind(crumb) is not None


@pytest.mark.parametrize("line", ["Sales rose 4 / 5 times",
                                  "The price of bread rose to £2.50 a loaf",
                                  "Parents vs. teachers: who decides the school day?"])
def test_headlines_with_a_slash_or_a_price_are_not_chrome(line):
    assert chrome_kind(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "PUB", "Publicidade", "Advertentie",
        "Leia também: Praia fluvial volta a ter bandeira azul",
        "Veja também: Feira do vinho bate recorde",
        "Lees ook: Vorig jaar twee branden op hetzelfde terrein",
        "Veja a galeria: 18 fotos", "Bekijk de foto's: 14 foto's", "View the gallery",
        "Play video", "Video afspelen", "Reproduzir vídeo",
        "Fenwick Press, 312pp, £18.99",
        "The harbour at dawn, before the storm. Photograph: Ana Lind",
        "Brandweer bij de loods aan de haven. Beeld: RTV Zuidwaard",
    ],
)
def test_portuguese_dutch_and_media_chrome_lines_are_recognised(line):
    assert chrome_kind(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "This article appears in the spring 2024 issue of the magazine.",
        "This interview has been edited and condensed.",
        "A version of this story was first published in our weekend edition.",
        "Este artigo foi publicado na edição impressa de sábado.",
        "Dit artikel verscheen eerder in de krant van zaterdag.",
        "Get the best of our writing in your inbox every Friday. It is free.",
        "Sign up to our newsletter and we will send you one long read every Sunday.",
        "Wil je elke ochtend het nieuws uit de regio in je mailbox? Meld je aan.",
        "Heb je een tip voor de redactie? Stuur ons een bericht via WhatsApp.",
    ],
)
def test_editors_notes_and_newsletter_pitches_are_chrome(line):
    assert chrome_kind(line) is not None


def test_an_article_about_a_newsletter_is_not_a_pitch():
    assert chrome_kind("The council's newsletter will be printed on recycled paper from "
                       "next year, the mayor said.") is None


@pytest.mark.parametrize(
    "quote",
    [
        "Residents welcomed the decision but said they had heard such promises before",
        "“Residents welcomed the decision, but said they’d heard such promises before”",
    ],
    ids=["verbatim", "lightly-edited"],
)
def test_pull_quote_repeating_a_body_sentence_is_dropped(quote):
    para = ("A meeting in the harbour hall drew more than two hundred people. Residents "
            "welcomed the decision but said they had heard such promises before. Several "
            "asked for the timetable in writing.")
    draft = read(page("Coastal road to be rebuilt", "", ARTICLE[0], para, quote, *ARTICLE[1:]))
    assert lines_of(draft.text) == ["Coastal road to be rebuilt", ARTICLE[0], para, *ARTICLE[1:]]


def test_a_short_paragraph_that_shares_a_few_words_with_another_is_kept():
    line = "Residents welcomed the decision on the road, if not the budget."
    draft = read(page("Coastal road to be rebuilt", "", *ARTICLE, line,
                      "The work starts in April."))
    assert line in lines_of(draft.text)


@pytest.mark.parametrize(
    ("byline", "bio"),
    [
        ("By Nadia Farouk", "Nadia Farouk is a writer based on the north coast. Her first book "
                            "is out in June."),
        ("Door Lieke Bos", "Lieke Bos schrijft over de haven en de mensen die er werken."),
        ("Por Inês Cardoso", "Inês Cardoso escreve sobre o litoral e as suas aldeias."),
    ],
    ids=["en", "nl", "pt"],
)
def test_author_bio_after_the_article_is_dropped(byline, bio):
    draft = read(page("Coastal road to be rebuilt", byline, "", *ARTICLE, "", bio, "",
                      "More from the magazine", "Privacy"))
    assert lines_of(draft.text)[-1] == ARTICLE[-1]


def test_bio_of_someone_the_byline_does_not_name_is_dropped_at_the_end():
    draft = read(page("Coastal road to be rebuilt", "", *ARTICLE, "",
                      "Tomasz Reilly writes about buildings and the people who look after them."))
    assert lines_of(draft.text)[-1] == ARTICLE[-1]


def test_a_last_line_about_someone_the_article_names_is_kept():
    last = "Ana Lind is not worried about the road."
    para = ("Ana Lind, who runs the ferry kiosk, said the closure had cost her half of her "
            "winter trade but that she would stay open through the works.")
    draft = read(page("Coastal road to be rebuilt", "", *ARTICLE, para, last))
    assert lines_of(draft.text)[-2:] == [para, last]


def test_caption_under_the_byline_is_not_the_lede():
    lede = "Storms closed it for most of the winter and the harbour was cut off."
    caption = "The coastal road near the harbour, closed since January."
    draft = read(page("Coastal road to be rebuilt", lede, "Words by Nadia Farouk",
                      "12 May 2024", caption, "", *ARTICLE))
    assert draft.title == "Coastal road to be rebuilt"
    kept = [ln for ln in lines_of(draft.text) if ln not in ("Words by Nadia Farouk",
                                                             "12 May 2024")]
    assert kept == ["Coastal road to be rebuilt", lede, *ARTICLE]
