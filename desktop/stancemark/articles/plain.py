"""Cleaning scraped plain text into title, dateline, lede and body.

Scrapers save whatever the page showed: icon labels, menus, share and cookie
prompts, the audio player's clock. The rules here are general (shapes of
lines, not one site's words), cheap (a few precompiled patterns per line, and
dateutil only for short lines near the top) and conservative: when unsure,
a line is kept, because losing article text is worse than keeping a menu.

Beyond the lines that are chrome by their shape, each line is weighed the way
jusText weighs paragraphs: long lines dense with the language's function words
are text, lines with almost none are furniture, and short or middling lines
take the side of their neighbours. Runs of short unpunctuated lines (menus,
link lists, footers) are furniture; the title and lede are the lines just above
the first paragraph of text; a comment section ends the article. A batch of
files from one site is cleaned further by :mod:`stancemark.articles.repeats`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from stancemark.articles.dates import parse_dateline
from stancemark.core.text import normalize_newlines

# How many non-blank lines at the top may hold the dateline, byline and title.
_HEADER_LINES = 8
# Longest line that can be a title or a lede.
_MAX_TITLE = 250
_MAX_LEDE = 400

_PLAYER = re.compile(r"(?:(?:\d{1,2}:)?\d{1,2}:\d\d|none|\s)+", re.I)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_SENTENCE_PUNCT = re.compile(r"[.,;:!?\"“”„«»()'’]")
_TERMINAL = re.compile(r"[.!?…\"”»'’)]$")
_TOKEN = re.compile(r"\S+")
_URL_LINE = re.compile(r"(?:source:\s*)?(https?://\S+)", re.I)
# "By …" and its kin: a credit word before "by", or the byline word of another language.
_BYLINE_HEAD = (
    r"(?:(?:words|text|written|reported|reporting|reviewed|review|interview|interviewed"
    r"|photographs?|photos?|pictures|illustrations?|story|report|compiled)\s+)?by"
    r"|door|von|par|por|autor(?:a|in)?|author|texto?|tekst|текст|автор|аутор|piše|пише"
)
_BYLINE = re.compile(rf"(?:{_BYLINE_HEAD})\b\s*:?\s*(.{{3,60}})", re.I)
_NAME_WORD = re.compile(r"[A-ZÀ-ÞА-ЯЁ][\w'’.-]*|and|&|van|von|de|da|al|bin|el|der|den|la|le")

_SOCIAL_NAMES = (
    r"twitter|x|facebook|telegram|instagram|youtube|tiktok|linkedin|vk|whatsapp|threads"
    r"|mastodon|rumble|odysee|google\s+news|viber|reddit|pinterest|xing|вконтакте|одноклассники"
)
_SOCIAL = f"(?:{_SOCIAL_NAMES})"
_SHARE_WORD = rf"(?:share|tweet|post|email|e-mail|mail|print|copy(?:\s+link)?|link|{_SOCIAL_NAMES})"
_SHORT_CHROME = re.compile(
    rf"""(?:
      share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|link))?(?:\s+(?:on|via|with)\b.*)?
    | {_SHARE_WORD}(?:\s*[|/·•,]?\s*{_SHARE_WORD})*
    | (?:read|see|watch|listen)\s+(?:more|also|next)\b.*
    | related(?:\s+(?:articles?|stories|news|content|topics|coverage))?\s*:?
    | (?:also\s+)?recommended(?:\s+for\s+you)?
    | more\s+(?:on\s+this(?:\s+story)?|news|stories|from\s+.*)
    | follow\s+(?:us|\S+)(?:\s+on\s+{_SOCIAL}.*)?
    | follow\s+us\b.*
    | subscribe\b.*
    | sign\s+(?:up|in)(?:\s+(?:to|for)\s+(?:our|the)\b.*)?
    | log\s*in|log\s*out|register|newsletter
    | (?:accept|reject|allow|decline|refuse)(?:\s+all)?(?:\s+cookies)?
    | (?:manage|cookie)\s+(?:cookies|settings|preferences|options|policy)
    | got\s+it|i\s+agree|ok(?:ay)?
    | advertisement|advert|sponsored(?:\s+content)?|ads?
    | comments?(?:\s*\(\d+\))?|\d+\s+comments?|leave\s+a\s+comment|add\s+(?:a\s+)?comment
    | (?:view|show|read|see)\s+(?:all\s+)?(?:\d+\s+)?comments?
    | skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|jump\s+to\s+.*|scroll\s+(?:down|up)
    | (?:photo|image|video|file\s+photo)(?:\s*[:©].*)?
    | ©.*|copyright\s*(?:©|\(c\)|\d{{4}}).*|all\s+rights\s+reserved\.?
    | loading\W*|please\s+wait\W*
    | (?:\d+\s+)?min(?:ute)?s?\s+read
    | podcasts?|listen(?:\s+to\s+(?:this\s+)?(?:article|story))?|play|pause|mute|unmute
    | (?:tags?|topics?)\s*:.*|filed\s+under\b.*
    )""",
    re.I | re.X,
)
_COOKIE = re.compile(
    r"\b(?:we|our|you|your|this\s+(?:web)?site)\b.*\b(?:accept|consent|agree|use|uses|policy|settings|preferences)\b",
    re.I | re.S,
)

_NAV_WORDS = frozenset(
    """
    home homepage news latest world politics business economy markets finance money sport
    sports football tech technology science health culture arts entertainment lifestyle
    travel opinion opinions op-ed analysis features feature video videos photos photo
    gallery podcast podcasts live weather menu search more contact about careers advertise
    shop newsletter newsletters trending local national international europe africa asia
    americas americas middle east us uk russia india china usa rss apps app login logout
    account profile top stories story columns columnists blogs blog interviews interview
    sections section main press releases environment climate education media society
    archive archives español deutsch français русский العربية
    | / • · » › > < « - – —
    """.split()
)
# The same kinds of lines in the other languages analysts read most (de, fr, es, it,
# ru, sr in both scripts): share bars, "read also" links, adverts, log-in and
# cookie buttons, headings of related and most-read lists, footer links.
_INTL_CHROME = re.compile(
    r"""(?:
      teilen|partager|compartir|condividi|compartilhar|поделиться|podeli|podijeli|подели
    | copier\s+le\s+lien|copiar\s+(?:el\s+)?enlace|copia\s+(?:il\s+)?link|link\s+kopieren
    | копировать\s+ссылку|kopiraj\s+link|копирај\s+линк
    | anzeige|werbung|publicité|publicidad|pubblicità|реклама(?:\s+на\s+сайте)?|reklama|oglas|оглас
    | anmelden|abmelden|einloggen|registrieren|abo(?:\s*\|\s*anmelden)?|abonnieren
    | se\s+connecter|connexion|s'inscrire|s’inscrire|s'abonner|s’abonner|iniciar\s+sesión
    | suscríbete|suscribirse|accedi|abbonati|registrati|войти|вход|регистрация|подписаться
    | prijava|prijavi\s+se|пријава|пријави\s+се|registracija|pretraga|претрага|suche|recherche
    | buscar|cerca|поиск
    | (?:alle\s+)?akzeptieren|ablehnen|einstellungen|tout\s+accepter|accepter|refuser
    | continuer\s+sans\s+accepter|paramétrer|aceptar|rechazar|configurar|accetta|rifiuta
    | accetto|принять|хорошо|согласен|prihvatam|prihvati|прихватам|odbij
    | zum\s+inhalt\s+springen|aller\s+au\s+contenu|ir\s+al\s+contenido|vai\s+al\s+contenuto
    | перейти\s+к\s+содержанию|preskoči\s+na\s+sadržaj|прескочи\s+на\s+садржај
    | more\s+from\b.*|most\s+(?:read|popular|viewed|shared)|latest(?:\s+(?:news|headlines))?
    | (?:more\s+)?top\s+stories|trending(?:\s+now)?|you\s+may\s+also\s+like
    | don't\s+miss|editor'?s\s+picks?|in\s+other\s+news
    | mehr\s+zum\s+thema|das\s+könnte\s+sie\s+auch\s+interessieren|meistgelesen|top-artikel
    | sur\s+le\s+même\s+sujet|les\s+plus\s+lus|dans\s+la\s+même\s+rubrique|à\s+la\s+une
    | temas\s+relacionados|más\s+noticias|lo\s+más\s+leído|noticias\s+relacionadas
    | potrebbe\s+interessarti(?:\s+anche)?|i\s+più\s+letti|più\s+lett[ie]|articoli\s+correlati
    | новости\s+по\s+теме|самое\s+читаемое|популярное|главное|другие\s+новости
    | povezane\s+vesti|najčitanije|najnovije|повезане\s+вести|најчитаније|најновије
    | impressum|datenschutz(?:erklärung)?|agb|kontakt|mentions\s+légales
    | politique\s+de\s+confidentialité|gérer\s+les\s+cookies|nous\s+contacter|aviso\s+legal
    | política\s+de\s+(?:privacidad|cookies)|contacto|chi\s+siamo|redazione|privacy
    | cookie\s+policy|о\s+редакции|контакты|политика\s+конфиденциальности|impresum
    | uslovi\s+korišćenja|politika\s+privatnosti|импресум|контакт|услови\s+коришћења
    | about(?:\s+us)?|contact(?:\s+us)?|careers|terms(?:\s+of\s+(?:use|service))?
    | privacy(?:\s+policy|\s+settings)?|terms\s+and\s+conditions|advertise(?:\s+with\s+us)?
    | (?:schlagwörter|themen|mots-clés|etiquetas|temas|argomenti|теги|метки|tagovi|теме
       |ознаке)\s*:.*
    | (?:foto|bild|imagen|immagine|фото)\s*:.*
    | \d+\+
    | pub|publicidade|advertentie|reclame
    )""",
    re.I | re.X,
)
# A link to another article inside the text, in any of those languages.
_READ_ALSO = re.compile(
    r"(?:read\s+(?:more|also)|see\s+also|related|lesen\s+sie\s+auch|mehr\s+dazu|(?:à\s+)?lire\s+aussi"
    r"|lea\s+también|lee\s+también|leer\s+más|ver\s+más|leggi\s+anche|читайте\s+также"
    r"|смотрите\s+также|pročitajte\s+(?:još|i)|прочитајте\s+(?:још|и)|vidi\s+još"
    r"|погледајте\s+још|leia\s+(?:também|mais)|veja\s+também|saiba\s+mais|lees\s+(?:ook|meer)"
    r"|bekijk\s+ook|zie\s+ook)\s*[:»›>-].*",
    re.I,
)
# A picture's caption that ends with its credit: "… Photo: Agency / Name".
_CREDIT_WORD = re.compile(r"\b(?:photo|foto|фото|bild|image|picture|credit|crédit|imagen|photograph"
                          r"|photography|fotografia|fotografie|imagem|beeld|illustration)\s*$",
                          re.I)


def _credit(line: str) -> bool:
    colon = line.rfind(":")
    if colon < 0:
        return False
    tail = line[colon + 1:].strip()
    return (2 <= len(tail) <= 60 and not any(c in tail for c in ".!?")
            and bool(_CREDIT_WORD.search(line, max(0, colon - 16), colon)))


# A breadcrumb: two to six short items joined by ">", "›", "»" or (twice or more) "/".
_CRUMB_SEP = re.compile(r"\s+[>›»/]\s+")
_CRUMB_ITEM = re.compile(r"[^\W\d_][\w'’.&-]*(?:\s+[\w'’.&-]+){0,3}")


def _breadcrumb(line: str) -> bool:
    parts = _CRUMB_SEP.split(line)
    if not 2 <= len(parts) <= 6:
        return False
    if len(parts) == 2 and " / " in line and parts[0].lower() not in _ALL_NAV:
        return False  # "A / B" is a breadcrumb only from a section name
    return all(p[:1].isupper() and _CRUMB_ITEM.fullmatch(p) for p in parts)


# A media player's or a gallery's leftovers, and a product's details box.
_MEDIA = re.compile(
    r"""(?:
      (?:play|watch|replay)(?:\s+(?:the|this))?\s+(?:video|clip|film)
    | video\s+(?:afspelen|abspielen|bekijken|starten)|(?:reproduzir|ver)\s+(?:o\s+)?v[íi]deo
    | lire\s+la\s+vidéo|reproducir\s+(?:el\s+)?vídeo|guarda\s+il\s+video|смотреть\s+видео
    | (?:see|view|veja|ver|bekijk|zie|voir|ansehen|guarda)\b.{0,30}:\s*\d+\s+\S+
    | (?:view|see|open)\s+(?:the\s+)?gallery|(?:\d+\s+)?(?:photos|pictures|fotos|foto's|images)
    | buy\b.{0,30}|(?:price|preço|prijs|preis|prix|precio):.*
    )""",
    re.I | re.X,
)
# A video's caption ending with its length: "Watch: the choir rehearses (2:41)".
_DURATION = re.compile(r"\(\d{1,2}:\d\d\)$")
_PRICE = re.compile(r"(?:[£$€]\s?\d+(?:[.,]\d\d)?|\d+(?:[.,]\d\d)?\s?(?:€|euros?|kr|zł|руб))"
                    r"|\b\d+\s?pp\b|\bISBN\b")


def _media_box(line: str) -> bool:
    """A player's, a gallery's or a product box's line."""
    return bool(_MEDIA.fullmatch(line) or line.endswith(")") and _DURATION.search(line)
                or _details(line))


def _details(line: str) -> bool:
    """A product's details: a price, page count or ISBN among a few items ("Press, 312pp, £19")."""
    return (line.count(", ") + line.count(" | ") + line.count(" · ") >= 2
            and not _SENTENCE_END.search(line) and bool(_PRICE.search(line)))


# Editors' notes about the article and pitches to the reader (newsletters, tips).
_NOTE = re.compile(
    r"""(?:
      (?:a\s+version\s+of\s+)?this\s+(?:article|story|piece|interview|essay|review|feature
       |conversation)\s+(?:appears|appeared|was|has\s+been|is\s+(?:part|taken|adapted|published))
    | (?:este|esta)\s+(?:artigo|texto|entrevista|reportagem)\s+(?:foi|faz|é)
    | dit\s+(?:artikel|interview|verhaal)\s+(?:is|verscheen)
    | dieser?\s+(?:artikel|text|beitrag|interview)\s+(?:ist|erschien|wurde)
    | cet\s+(?:article|entretien)\s+(?:a\s+été|est\s+paru)
    )\b""",
    re.I | re.X,
)
_PITCH = re.compile(r"newsletter|nieuwsbrief|boletim|rundbrief|infolettre|inbox|mailbox|postvak"
                    r"|caixa\s+de\s+correio|postfach|tip\s+(?:voor|for)\s+(?:de\s+|the\s+|our\s+)?"
                    r"(?:redactie|newsroom|editors)", re.I)
_YOU = re.compile(r"\b(?:you|your|je|jij|jouw|u|uw|você|vous|votre|sie|ihr|du|tu|te|vi)\b", re.I)


_PITCH_HINTS = ("letter", "inbox", "mailbox", "brief", "boletim", "postvak", "caixa", "postfach",
                "tip ")


def _pitch(line: str) -> bool:
    low = line.lower()
    return (any(h in low for h in _PITCH_HINTS)  # the cheap test first: most lines fail it
            and bool(_PITCH.search(line) and _YOU.search(line)))


# A comment section: once the article has begun, nothing after this heading is its text.
_COMMENTS_HEAD = re.compile(
    r"""(?:
      (?:\d+\s+)?(?:comments?|kommentare?|commentaires?|comentarios?|commenti|комментари[йие]
       |komentar[ai]?|коментар[аи]?)(?:\s*\(\d+\))?
    | \d+\s+(?:thoughts|responses|replies|comments?)\s+(?:on|to)\s+.*
    | leave\s+a\s+(?:reply|comment)\b.*|(?:view|show|read)\s+(?:all\s+)?(?:\d+\s+)?comments?
    | kommentar\s+schreiben|laisser\s+un\s+commentaire|deja\s+un\s+comentario
    | lascia\s+un\s+commento|оставить\s+комментарий|ostavite\s+komentar|оставите\s+коментар
    )""",
    re.I | re.X,
)




def _cookie_word(line: str) -> bool:
    return "ookie" in line or "OOKIE" in line or "olačić" in line or "олачић" in line


_COOKIE_INTL = re.compile(
    r"\b(?:we|our|you|your|wir|unsere?|sie|nous|vous|votre|utilizamos|usamos|usted|acepta"
    r"|utilizziamo|usiamo|questo\s+sito|acconsenti|мы|вы|используем|koristimo|koristi"
    r"|користи|користимо|prihvatate|прихватате)\b",
    re.I,
)
_INTL_NAV = frozenset(
    """
    startseite region politik wirtschaft kultur panorama meinung wissen lokales
    accueil actualité actualités politique économie sports régions monde société
    inicio nacional internacional economía deportes vídeo vídeos cultura sociedad opinión
    cronaca politica economia spettacoli esteri
    главная новости политика экономика общество происшествия спорт культура мнения
    naslovna vesti politika ekonomija društvo hronika sport kultura svet
    почетна вести политика економија друштво хроника спорт култура свет
    showbiz tv
    região desporto opinião país mundo nieuws regio cultuur politiek economie binnenland
    buitenland
    """.split()
)
_ALL_NAV = _NAV_WORDS | _INTL_NAV
_STOPWORDS = frozenset(
    "the a an of in to and for on with as is are was were by at from after over that has "
    "have will be it its this who which said says".split()
)


@dataclass(slots=True)
class Cleaned:
    """A scraped text split into its parts; ``text`` is what the analyst annotates."""

    text: str
    title: str | None = None
    subtitle: str | None = None
    published: datetime | None = None
    author: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def _is_menu_run(line: str) -> bool:
    tokens = line.split()
    if not tokens:
        return False
    if len(tokens) > 3 and _SENTENCE_PUNCT.search(line):
        return False  # (checked first: it is cheaper than looking up every word)
    nav = sum(1 for t in tokens if t.lower().strip(":") in _ALL_NAV)
    if len(tokens) <= 3:
        return nav == len(tokens)
    if nav >= 0.6 * len(tokens):
        return True
    if len(tokens) < 6 or not line.islower():
        return False
    return sum(1 for t in tokens if t in _STOPWORDS) <= 1


def chrome_kind(line: str) -> str | None:
    """Say why ``line`` (stripped, non-empty) is page furniture, or None if it is text."""
    n = len(line)
    if n <= 40 and _PLAYER.fullmatch(line):
        return "player"
    if "icon" in line or "Icon" in line or "ICON" in line:
        tokens = line.split()
        icons = sum(1 for t in tokens if "icon" in t.lower())
        if icons >= 3 or (icons and icons >= 0.3 * len(tokens)):
            return "chrome"
    if n <= 100:
        if _SHORT_CHROME.fullmatch(line):
            return "player" if line.lower().startswith("podcast") else "chrome"
        if not _HAS_LETTER.search(line):
            return None if _HAS_YEAR.search(line) else "chrome"
    if n <= 200 and _is_menu_run(line):
        return "chrome"
    if n <= 600 and _cookie_word(line) and (_COOKIE.search(line) or _COOKIE_INTL.search(line)):
        return "chrome"
    if n <= 60 and (line.count(" ") <= 5 or ":" in line) and _INTL_CHROME.fullmatch(line):
        return "chrome"
    if n <= 250 and (_READ_ALSO.match(line) or _credit(line)):
        return "chrome"
    if n <= 160 and line[-1] not in ".!?" and _media_box(line):
        return "media"
    if n <= 100 and (">" in line or "›" in line or "»" in line or " / " in line) \
            and _breadcrumb(line):
        return "chrome"
    if 30 <= n <= 300 and line[-1] in ".!?" and (_NOTE.match(line) or _pitch(line)):
        return "chrome"
    return None


# Line classes: what a line is by itself, then what it is among its neighbours.
_CHROME, _BAD, _SHORT, _NEAR, _GOOD = range(5)
#: A line this long and this dense with function words is text by itself.
_GOOD_LEN = 150
#: Below this a line is short: its neighbours decide.
_SHORT_LEN = 50
#: A run of middling lines this long (hard-wrapped or one-sentence paragraphs) is text.
_RUN_LEN = 250
#: Longest line that can be part of a menu or a list of links.
_LIST_LEN = 120
#: Function-word density of running text; languages without articles have fewer.
_DENSITY = {"ru": 0.12, "sr": 0.15, "sr-Cyrl": 0.15}
_DEFAULT_DENSITY = 0.25
_LETTERS = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?…][\"”»'’)]*$")
_KICKER = re.compile(r"[^\W\d_a-zа-яё]+(?:\s+[^\W\d_a-zа-яё]+){0,2}")
_DATEISH = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\b\d{1,2}[:.h]\d\d\b")
_BYLINE_ANY = re.compile(rf"(?:{_BYLINE_HEAD}|di|da)\b\s*:?\s*\S.{{0,60}}", re.I)
# A clock time leading a line of words: a live ticker's entry, not a dateline.
_CLOCK_LEAD = re.compile(r"\d{1,2}[:.h]\d\d\s+[^\W\d_]")


def _words(text: str) -> list[str]:
    """Lower-cased words, cheaply: split at spaces and apostrophes (l'érosion, dell'anno)."""
    return text.lower().replace("'", " ").replace("’", " ").split()


def _language(lines: list[str]) -> str | None:
    """The language whose function words the longer lines use most, or None if they use none."""
    from stancemark.articles.wordlists import STOPWORDS

    sample, size = [], 0
    for line in lines:
        if len(line) >= _SHORT_LEN:
            sample.append(line[:1000])
            size += len(sample[-1])
            if size >= 1000:
                break
    words = set(_words(" ".join(sample)))
    best, hits = None, 3  # at least four different function words, or no verdict
    for lang, stop in STOPWORDS.items():
        n = len(words & stop)
        if n > hits:
            best, hits = lang, n
    return best


def _sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line[-4:])) and len(line.split(None, 4)) >= 4


def _meta_line(line: str) -> bool:
    """A dateline or byline in any language, judged cheaply (the header logic reads it)."""
    if len(line) > 100:
        return False
    if _DATEISH.search(line) and len(_LETTERS.findall(line)) <= 8:
        return not (_CLOCK_LEAD.match(line) and not _HAS_YEAR.search(line))
    return len(line) <= 70 and bool(_BYLINE_ANY.fullmatch(line)) and not _sentence(line)


def _running(line: str) -> bool:
    """A long line of words that ends a sentence: text in any language."""
    n = len(line)
    return (n >= _GOOD_LEN and line.rstrip("\"”»'’)")[-1:] in (".", "!", "?", "…")
            and 20 <= line.count(" ") <= n // 3)


def _classify(lines: list[str], chrome: list[bool]) -> list[int]:
    """The class of each (non-blank) line by itself: length, function words, punctuation."""
    from stancemark.articles.wordlists import STOPWORDS

    stop: frozenset[str] | None = None  # the language is found only if a line needs it
    need = _DEFAULT_DENSITY
    out = []
    for line, is_chrome in zip(lines, chrome, strict=True):
        if is_chrome:
            out.append(_CHROME)
            continue
        n = len(line)
        if n < _SHORT_LEN:
            out.append(_SHORT)
            continue
        if _running(line):
            out.append(_GOOD)  # long running sentences: text, whatever the language
            continue
        sentence = _sentence(line)
        if stop is None:
            lang = _language(lines)
            stop = STOPWORDS.get(lang or "", frozenset())
            need = _DENSITY.get(lang or "", _DEFAULT_DENSITY)
        words = _words(line[:400])  # the density of a line's start will do
        if stop and words:
            dense = sum(map(stop.__contains__, words)) / len(words)
        else:
            dense = need  # a language we have no list for: length and punctuation decide
        if dense >= need and n >= _GOOD_LEN:
            out.append(_GOOD)
        elif dense >= 0.6 * need or sentence:
            out.append(_NEAR)
        else:
            out.append(_BAD)
    return out


def _lists_are_bad(lines: list[str], cls: list[int]) -> None:
    """Three or more short unpunctuated lines in a row are a menu or a list of links."""
    i, n = 0, len(lines)
    while i < n:
        j = i
        while j < n and (cls[j] == _CHROME or (cls[j] != _GOOD and len(lines[j]) <= _LIST_LEN
                                                and not _SENTENCE_END.search(lines[j]))):
            j += 1
        if j - i >= 3 and sum(1 for k in range(i, j) if cls[k] != _CHROME) >= 2:
            for k in range(i, j):
                if cls[k] != _CHROME:
                    cls[k] = _BAD
        i = max(j, i + 1)


def _side(cls: list[int], i: int, step: int) -> int:
    """The nearest decided class (text or not) from ``i`` in direction ``step``; edges are bad."""
    j = i + step
    while 0 <= j < len(cls):
        if cls[j] in (_GOOD, _BAD):
            return cls[j]
        j += step
    return _BAD


def _in_context(lines: list[str], cls: list[int]) -> None:
    """Decide the middling and short lines by their neighbours (chrome lines are transparent)."""
    # runs of middling lines (one-sentence paragraphs, hard-wrapped text) are text
    i, n = 0, len(cls)
    while i < n:
        if cls[i] != _NEAR:
            i += 1
            continue
        j = i
        while j < n and (cls[j] in (_NEAR, _CHROME) or cls[j] == _SHORT and _sentence(lines[j])):
            j += 1
        run = [k for k in range(i, j) if cls[k] != _CHROME]
        if len(run) >= 2 and sum(len(lines[k]) for k in run) >= _RUN_LEN:
            for k in run:
                cls[k] = _GOOD
        i = j
    near = [k for k in range(n) if cls[k] == _NEAR]
    decided = [(_BAD if _side(cls, k, -1) == _BAD and _side(cls, k, 1) == _BAD else _GOOD)
               for k in near]
    for k, c in zip(near, decided, strict=True):
        cls[k] = c
    short = [k for k in range(n) if cls[k] == _SHORT]
    decided = []
    for k in short:
        before, after = _side(cls, k, -1), _side(cls, k, 1)
        if before == after:
            decided.append(before)
        else:  # text on one side only: a sentence stays, a label goes
            decided.append(_GOOD if _sentence(lines[k]) else _BAD)
    for k, c in zip(short, decided, strict=True):
        cls[k] = c


def _walk_up(lines: list[str], cls: list[int], start: int, meta: set[int]) -> list[int]:
    """Title and lede candidates from ``start`` upwards: at most two lines of words,
    with only a kicker, a dateline, a byline or a caption between them."""
    found: list[int] = []
    k = start
    while k >= 0 and len(found) < 2:
        line = lines[k]
        if cls[k] == _CHROME and _media(line):
            # a player's, gallery's or product's box: what lies between it and the
            # dateline above is its caption, not the title
            found.clear()
            date = next((j for j in range(k - 1, max(-1, k - 7), -1)
                         if j in meta and cls[j] != _CHROME and _DATEISH.search(lines[j])), None)
            if date is not None:
                meta.difference_update(range(date + 1, k))  # "by …" of the book in the box
            k = k - 1 if date is None else date - 1
            continue
        if k in meta or _KICKER.fullmatch(line):
            k -= 1
            continue
        if any(len(above) == len(line) and above.casefold() == line.casefold()
               for above in lines[max(0, k - 4):k]):
            meta.add(k)  # the title or lede again, as a picture's caption
            k -= 1
            continue
        if cls[k] == _CHROME:
            if found:
                break  # between title and lede, only a kicker, a dateline or a byline
            k -= 1
            continue
        if len(line) > _MAX_LEDE or len(line.split()) < 2:
            break
        if found and not (len(line.split()) >= 4 or len(lines[found[0]].split()) >= 8):
            break  # a label or a site name above a title
        found.append(k)
        k -= 1
    return found


def _media(line: str) -> bool:
    return bool(_PLAYER.fullmatch(line)) or _media_box(line)


def _substantial(line: str) -> bool:
    """Enough words to be a title, not a utility line ("View 47 comments", "Listen • 7 min")."""
    return len(line) >= 25 or len(_LETTERS.findall(line)) >= 4


def _header(lines: list[str], cls: list[int], first: int) -> set[int]:
    """The lines above the first text line to keep: title, lede, dateline, byline.

    The title and lede are the lines just above the first paragraph; when what is
    there is only a utility line (a share or listen button, a comment count), they
    are the lines just above the byline and dateline instead.
    """
    meta = {k for k in range(first) if _meta_line(lines[k])}
    found = _walk_up(lines, cls, first - 1, meta)
    if not found or not _substantial(lines[found[0]]):
        block = max((k for k in meta if k < first), default=None)
        while block is not None and block - 1 in meta:
            block -= 1
        if block is not None and (not found or block < found[-1]):
            above = _walk_up(lines, cls, block - 1, meta)
            if above:
                found = above
    elif (len(found) == 2 and any(k in meta for k in range(found[1] + 1, found[0]))
          and _sentence(lines[found[0]]) and len(lines[found[0]]) <= _MAX_TITLE):
        # title and lede above the byline, a picture's caption below it
        above = _walk_up(lines, cls, found[1], meta)
        if len(above) == 2 and _substantial(lines[above[1]]):
            found = above
    return meta | set(found)


# Punctuation, for comparing a pull quote with the paragraph it repeats.
_PUNCT_TO_SPACE = str.maketrans({c: " " for c in ".,;:!?\"'“”„‘’«»‹›()[]…—–-/*"})

def _chunks(line: str) -> list[str]:
    """The first and the last three words in a row of ``line`` with no punctuation
    between them, as written: the paragraph a pull quote repeats has one of them."""
    tokens = line.split()
    out = []
    for seq in (tokens, tokens[::-1]):
        run: list[str] = []
        for t in seq:
            run = run + [t] if t.isalpha() else []
            if len(run) == 3:
                out.append(" ".join(run if seq is tokens else run[::-1]))
                break
    return out


# A short biography of the author after the article: a name, then "is", "writes", ...
_BIO = re.compile(
    r"((?:[A-ZÀ-ÞА-ЯЁ][\w'’.-]+\s+){1,3}(?:(?:van|de|da|von|der|den)\s+[A-ZÀ-Þ][\w'’.-]+\s+)?)"
    r"(?:is|was|writes|wrote|has|covers|reports|lives|edits|teaches|é|escreve|vive|schrijft"
    r"|woont|werkt|ist|schreibt|lebt|est|écrit|vit|es|escribe|è|scrive|vive)\b")


def _tail_chrome(lines: list[str], chrome: list[bool], running: list[bool],
                 first: int) -> list[bool]:
    """Mark, after the first paragraph, the lines that are chrome by what the article
    says elsewhere: pull quotes (a body sentence again), the author's biography, runs
    of ticker entries ("16:20 Cyclist hurt …")."""
    out = list(chrome)
    n = len(lines)
    # ticker entries: two or more clock-led lines in a row, anywhere
    k = 0
    while k < n:
        j = k
        while j < n and lines[j][:1].isdigit() and _CLOCK_LEAD.match(lines[j]):
            j += 1
        if j - k >= 2:
            for m in range(k, j):
                out[m] = True
        k = max(j, k + 1)
    cands = [k for k in range(first + 1, n) if not out[k] and not running[k]
             and 30 <= len(lines[k]) <= 300]
    if not cands:
        return out
    norms: dict[int, str] = {}

    def norm(k: int) -> str:
        if k not in norms:
            norms[k] = " ".join(lines[k].casefold().translate(_PUNCT_TO_SPACE).split())
        return norms[k]

    # the cheap test first, once over the whole text: a key of a line found no more
    # often than in the line itself is found in no other line
    whole = "\n".join(lines[first:])
    for k in cands:
        keys = _chunks(lines[k])
        if not any(whole.count(key) > lines[k].count(key) for key in keys):
            continue
        mine_norm = norm(k)
        words = mine_norm.split()
        if len(words) < 6:
            continue
        probes = (mine_norm, " ".join(words[:4]), " ".join(words[-4:]))
        for j in range(first, n):
            if j == k or out[j] or len(lines[j]) <= len(lines[k]):
                continue
            if not any(key in lines[j] for key in keys):
                continue  # the cheap test first: no three of its words as written
            other = norm(j)
            if probes[0] in other:
                out[k] = True  # a pull quote: a sentence of the text again
                break
            if probes[1] in other or probes[2] in other:
                there = set(other.split())
                mine = set(words)
                if len(mine & there) >= 0.8 * len(mine):
                    out[k] = True  # a pull quote, lightly edited
                    break
    # the author's biography: a name that the byline gave, or that the text never uses
    names = [by.group(1) for line in lines[:first] if len(line) <= 80
             and (by := _BYLINE.fullmatch(line)) and by.group(1)[:1].isupper()]
    last = max((k for k in range(first, n) if running[k]), default=first)
    for k in cands:
        if out[k]:
            continue
        line = lines[k]
        if any(line.startswith(name.strip() + " ") for name in names):
            out[k] = True
            continue
        bio = _BIO.match(line) if k > last else None
        if bio and not any(bio.group(1).strip() in lines[j] for j in range(first, k)):
            out[k] = True
    return out


def _text_mask(lines: list[str], chrome: list[bool], known: frozenset[str]) -> list[bool]:
    """Which of the non-blank ``lines`` to keep; ``chrome`` marks those chrome by shape."""
    if known:
        chrome = [c or line in known for c, line in zip(chrome, lines, strict=True)]
    # The common case, quickly: from the first paragraph on, every line is a long
    # running paragraph or chrome; only the header above it needs deciding.
    running = [not c and _running(line) for c, line in zip(chrome, lines, strict=True)]
    first = next((k for k, r in enumerate(running) if r), None)
    if first is not None:
        chrome = _tail_chrome(lines, chrome, running, first)
    if first is not None:
        for k in range(first + 1, min(first + 3, len(lines))):
            if lines[k] in lines[max(0, first - 3):first + 1]:
                running[k] = True  # a long lede and the title again as its caption
    if first is not None and all(r or c for r, c in zip(running[first:], chrome[first:],
                                                            strict=True)):
        keep = running
        for k in _header(lines, [_CHROME if c else _SHORT for c in chrome], first):
            keep[k] = not chrome[k]
        return keep
    alone = _classify(lines, chrome)
    _lists_are_bad(lines, alone)
    cls = list(alone)
    _in_context(lines, cls)
    short = _GOOD not in cls
    if short:  # a short article: its middling lines are its text
        cls = [_GOOD if c == _NEAR else c for c in alone]
        _in_context(lines, cls)
        if _GOOD not in cls:  # all but the chrome, the menus and the lists
            return [c not in (_CHROME, _BAD) for c in alone]
    first = next(k for k, c in enumerate(cls) if c == _GOOD)
    keep = [c == _GOOD or (short and k > first and alone[k] == _SHORT)
            for k, c in enumerate(cls)]
    for k in _header(lines, cls, first):
        keep[k] = not chrome[k]
    for k in range(first + 1, len(lines)):
        if len(lines[k]) <= 80 and not chrome[k] and _COMMENTS_HEAD.fullmatch(lines[k]):
            for j in range(k, len(lines)):
                keep[j] = False
            break
    return keep


def _same(a: str, b: str) -> bool:
    return a == b or " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_title(line: str) -> bool:
    return len(line) <= _MAX_TITLE and len(line) >= 8 and len(line.split()) >= 2


def _byline(line: str) -> str | None:
    m = _BYLINE.fullmatch(line)
    if not m:
        return None
    name = m.group(1).strip().rstrip(",;|")
    words = name.split()
    if len(words) > 6 or name.endswith(".") and not name[-2:-1].isupper():
        return None
    capitals = 0
    for w in words:
        if not _NAME_WORD.fullmatch(w.rstrip(",")):
            return None
        capitals += w[:1].isupper()
    return name if capitals >= 2 else None


def clean_scraped(raw: str, known_chrome: frozenset[str] = frozenset()) -> Cleaned:
    """Split a scraped article into its parts and drop the page furniture.

    ``known_chrome`` holds lines (stripped) known to be furniture of the article's
    site, such as those :mod:`stancemark.articles.repeats` finds in a batch.
    """
    dropped: Counter[str] = Counter()
    meta: dict[str, Any] = {}
    every = [line.strip() for line in normalize_newlines(raw).split("\n")]
    filled = [line for line in every if line]
    kinds = [chrome_kind(line) for line in filled]
    mask = iter(_text_mask(filled, [k is not None for k in kinds], known_chrome))
    kind_of = iter(kinds)
    lines: list[str] = []
    for line in every:
        if line:
            kind = next(kind_of)
            if not next(mask):
                dropped[kind or ("repeated" if line in known_chrome else "chrome")] += 1
                continue
        lines.append(line)

    published: datetime | None = None
    author: str | None = None
    url: str | None = None
    title: str | None = None
    subtitle: str | None = None

    def header_line(line: str) -> bool:
        """Consume a dateline, byline or bare URL near the top."""
        nonlocal published, author, url
        if published is None:
            found = parse_dateline(line)
            if found is not None:
                published = found[0]
                meta["dateline"] = line
                if found[1]:
                    meta["published_tz"] = found[1]
                dropped["dateline"] += 1
                return True
        if url is None and len(line) < 300:
            m = _URL_LINE.fullmatch(line)
            if m:
                url = m.group(1)
                dropped["url"] += 1
                return True
        if author is None and len(line) <= 80:
            name = _byline(line)
            if name:
                author = name
                dropped["byline"] += 1
                return True
        return False

    i, n = 0, len(lines)
    seen = 0
    while i < n and seen < _HEADER_LINES:
        line = lines[i]
        i += 1
        if not line:
            continue
        seen += 1
        if header_line(line):
            continue
        if _is_title(line):
            title = line
            break
        if len(line) > _MAX_TITLE or len(line.split()) > 1:
            i -= 1  # a paragraph before any title: there is no title line
            break
        dropped["chrome"] += 1  # a lone word above the title (section name, site name)

    def next_nonblank(k: int) -> int:
        while k < n and not lines[k]:
            k += 1
        return k

    def skip_repeats(k: int, previous: list[str]) -> int:
        while k < n and lines[k] and any(_same(lines[k], p) for p in previous):
            dropped["caption"] += 1
            k = next_nonblank(k + 1)
        return k

    if title is not None:
        header = [title]
        i = next_nonblank(i)
        # A dateline or byline may follow the title instead of preceding it.
        for _ in range(3):
            if i < n and header_line(lines[i]):
                i = next_nonblank(i + 1)
            else:
                break
        i = skip_repeats(i, header)
        if i < n:
            cand = lines[i]
            after = i + 1
            caption = (
                after < n
                and bool(lines[after])
                and any(_same(lines[after], p) for p in header + [cand])
            )
            single = after >= n or not lines[after] or caption
            rest = next_nonblank(after + 1 if caption else after)
            if (
                single
                and rest < n
                and len(cand) <= _MAX_LEDE
                and (caption or (len(cand) >= 20 and not _TERMINAL.search(cand)))
            ):
                subtitle = cand
                header.append(cand)
                i = skip_repeats(next_nonblank(after), header)

    blocks: list[str] = [p for p in (title, subtitle) if p]
    block: list[str] = []
    for line in lines[i:]:
        if line:
            block.append(line)
        elif block:
            blocks.append("\n".join(block))
            block = []
    if block:
        blocks.append("\n".join(block))

    if dropped:
        meta["dropped_lines"] = dict(dropped)
    return Cleaned(
        text="\n\n".join(blocks),
        title=title,
        subtitle=subtitle,
        published=published,
        author=author,
        url=url,
        meta=meta,
    )
