"""Actors the registry does not know yet, found in the article's own text, offline.

A run of capitalised words ("Maureen Ashby", "Carrow Bank", "CGT", "Ассоциации
туроператоров") is a *candidate*. It is offered only when the text gives evidence
that it names an actor, and the evidence is its reason:

- a title or role before it ("Senator X", "Ministarka X", "Frau X");
- a reporting cue next to it ("X said", "sagte X", "selon X", "заявил X");
- an organisation word in it ("… Bank", "… Federation", "Ministerium …", "Удружење …");
- an organisation name going on in lower case ("Fédération des automobilistes",
  "Общественная палата", "Narodne skupštine") or a seat of government ("White House",
  "Kremlin", "Белый дом");
- an acronym of 3–6 capitals that is not a dateline ("CGT", "ГСП", "ICE said");
- a transcript label ("WALLACE: …");
- a name of two or three capitalised words inside a sentence;
- a first name, title or organisation word the project has already taught (see
  :class:`NameHints`).

A title followed by the body its holder belongs to and then a name ("депутат
Государственной думы Сергей Ветров", "Predsednica Društva sudija Srbije Ana Kostić")
gives two candidates: the body, as an organisation when it has an organisation word,
and the name, as a person with the title as its evidence.

Single capitalised words need evidence of their own. German capitalises every noun, so
in a German text ("Landkreis Görlitz", "des Klinikums Nord") two capitalised words are no
evidence alone either: a German name needs a title, a cue, an organisation word or a
first name (one of :data:`FIRST_NAMES` or one the registry taught). A German compound
that ends in an organisation noun ("Kultusministerium", "Bauernverband") is one alone.
Once a person's full name is offered, its last word alone is offered wherever it
recurs ("Ashby said"). What the analyst dismissed is never offered again, and the
words of dismissed names count against similar ones.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from stancemark.analysis import cues
from stancemark.core.text import fold


def _upper_class() -> str:
    chars = [chr(c) for c in (*range(0x41, 0x250), *range(0x400, 0x530)) if chr(c).isupper()]
    return "[" + "".join(re.escape(c) for c in chars) + "]"


_UP = _upper_class()
# "der"/"den" only after "von"/"van" (a German "der" is mostly a genitive article)
_CONNECT = r"(?:of|for|the|de|du|la|le|von der|van der|van den|von|van|al|bin|y|do|da)"
_CONNECTORS = frozenset(("of", "for", "the", "de", "du", "la", "le", "von", "van", "der", "den",
                         "fur", "al", "bin", "y", "do", "da"))
_NAME_WORD = rf"{_UP}[\w\u2019'\-]*"
# a run of capitalised words, maybe joined by "of", "de", "von"…: "Bank of England"; "und"
# joins only after a hyphen ("Industrie- und Handelskammertag"), else "ICE und IC" is one
# the first capital is matched before the look-behind checks the character in front of it:
# four times faster than looking behind at every position of the text
# (after an elided article a name begins: "l’Autorité", "d’Ipsos")
_RUN = re.compile(rf"{_UP}(?:(?<![\w\u2019'].)|(?<=(?<!\w)[ldLD][\u2019'].))[\w\u2019'\-]*"
                  rf"(?:(?:[ \u00a0]{_CONNECT})*[ \u00a0]{_NAME_WORD}"
                  rf"|(?<=-)[ \u00a0](?:und|et|i|и|u|and)[ \u00a0]{_NAME_WORD})*")
_WORD = re.compile(r"\w+")
_LOWER_PART = re.compile(r"-[^\W\d_A-Z\u0400-\u042f]")  # "Pro-government": not a name
_APPOSITION = re.compile(r",[ \u00a0](?:\w+[ \u00a0]){0,2}\w+")
_SENTENCE_ENDS = ".!?\n:;"
_SENTENCE_OPENERS = "\n.!?:;\u2014\u2013-\u201c\u201e\u00ab\u00bb\"(\u2018\u201a"


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


#: Capitalised words that open sentences or are capitalised by rule, never names alone.
FUNCTION_WORDS = _folded("""
    the a an in on at but and or he she it we they you i this that these those his her its
    their our my your after before as for if when while yet so no not some most many every
    all any each both there here what which who how why where then also however meanwhile
    asked speaking by with from to of about over under since until than still even only
    der die das ein eine einer er sie es wir ihr im in am an nach mit auf für bei von zu
    aber und oder doch auch so wie wenn als dass weil man nur noch schon demnach laut
    le la les un une des il elle ils elles nous vous on en dans pour par sur avec selon
    d l mais et ou ce cette ces son sa ses leur
    в на по он она они мы вы это и но а что как из за к с о у для при после
    u na po on ona oni mi vi to i ali a iz za od do sa o kod posle prema iz nas
    у на по он она они ми ви то и али а из за од до са о код после према
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december montag dienstag mittwoch
    donnerstag freitag samstag sonntag januar februar märz juni juli oktober dezember
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin
    juillet août septembre octobre novembre décembre
    mr mrs ms dr prof sen rep gov herr frau m mme monsieur madame gospodin gospođa
    nobody everyone everybody someone somebody none niemand jemand personne никто nitko
    niko нико
    euro euros dollar dollars prozent percent million millionen milliarde milliarden billion
    pfund pound pounds rubel dinar dinara евро рублей динара""")

#: Words after which a name is a place: "in Novi Sad", "у Новом Саду", "aus Berlin".
LOCATIVES = _folded("""in at near into across outside im nach à au en près в во на под у u""")

#: Endings of German compounds that are titles ("Verkehrsministerin", "Bahnchef") or
#: organisations ("Mieterbund", "Bauernverband").
TITLE_ENDINGS = ("minister", "ministerin", "chef", "chefin", "prasident", "prasidentin",
                 "dezernent", "dezernentin", "referent", "referentin",
                 "sprecher", "sprecherin", "fuhrer", "fuhrerin", "direktor", "direktorin")
ORG_ENDINGS = ("bund", "verband", "partei", "ministerium", "amt", "kammer", "kammertag",
               "institut", "stiftung", "gewerkschaft", "bank", "gesellschaft", "konzern",
               "akademie", "kirche", "verein")
#: Endings that make one German compound an organisation by itself: "Kultusministerium",
#: "Landesbauernverband", "des Naturschutzbundes" (with at least four letters before them).
COMPOUND_ORG_ENDINGS = ("ministerium", "ministeriums", "verband", "verbandes", "verbands",
                        "bund", "bundes")


def _compound_org(word: str) -> bool:
    return any(word.endswith(x) and len(word) >= len(x) + 4 for x in COMPOUND_ORG_ENDINGS)


#: Frequent words of German that are rare in our other languages: a text with many of
#: them is German, and there a capitalised word is as often a noun as a name.
GERMAN_MARKERS = frozenset("""
    der die das und nicht ist mit dem sich auch eine einen einer für fur auf wird wurde
    werden sagte nach bei zum zur vom im sei seien habe hat haben wir sie ein""".split())


def looks_german(text: str) -> bool:
    """Whether ``text`` reads as German: one word in eight of its opening is a marker."""
    words = _WORD.findall(text[:3000].lower())
    hits = sum(w in GERMAN_MARKERS for w in words)
    return hits >= 4 and hits * 8 >= len(words)


#: Common first names (folded), for languages that capitalise nouns: a German name of two
#: capitalised words without a title or a cue counts when it opens with one of these.
FIRST_NAMES = _folded("""
    anna anja andrea angelika anke annette barbara bettina birgit brigitte carla carolin
    christina christine claudia daniela doris elke elisabeth eva franziska gabriele heike
    helga ines ingrid irene jana jessica johanna julia jutta karin katharina katja kerstin
    kristina laura lena lisa manuela maria marie marina marion martina melanie michaela
    monika nadine natalie nicole nina petra renate sabine sandra sarah silke simone sonja
    stefanie susanne svenja tanja ulrike ursula ute vanessa vera yvonne
    alexander andreas bernd björn christian christoph daniel david dennis dieter dirk
    florian frank georg gerhard günter hans harald heiko heinz helmut holger jan jens
    joachim jochen johannes jonas jörg jürgen kai karl karsten klaus lars lukas manfred
    marc marcel marco mario markus martin matthias max michael nils norbert olaf oliver
    patrick paul peter philipp rainer ralf reinhard robert roland rolf sebastian sven
    stefan stephan thomas thorsten tim tobias torsten ulrich uwe volker walter werner
    wolfgang
    ahmet ali aylin can cem deniz elif emre fatma hakan leyla mehmet murat sevim yusuf
    """)

DETERMINERS = _folded("the a an der die das den dem des ein eine le la les l un une")


#: Stems of Slavic organisation words that a lower-case genitive follows: "Удружење
#: пољопривредника", "Sindikata vozača", "Ассоциации туроператоров" (any case ending).
GENITIVE_HEADS = tuple(fold(w) for w in """
    ассоциац министерств партии партия союз агентств управлени служб фонд комитет
    udruzenj ministarstv sindikat savez drustv agencij fondacij stranke stranka preduzec
    удружењ министарств синдикат савез друштв агенциј фондациј странк предузећ""".split())


def _genitive_head(word: str) -> bool:
    return word.startswith(GENITIVE_HEADS)


#: French organisation nouns whose name goes on in lower case: "Fédération des
#: automobilistes", "Conseil supérieur de l’audiovisuel", "Autorité de régulation …".
FRENCH_ORG_HEADS = _folded("""
    federation confederation conseil union syndicat association ligue comite commission
    autorite agence office observatoire institut collectif chambre ordre cour tribunal
    caisse mutuelle regie societe banque parti mouvement rassemblement centre groupement
    fondation ministere direction secretariat haut haute assemblee academie""")
_FR_LINK = (r"(?:de[ \u00a0]la|de[ \u00a0]l[\u2019']|d[\u2019']|des|du|de"
            r"|pour[ \u00a0]la|pour[ \u00a0]le|pour[ \u00a0]les|pour[ \u00a0]l[\u2019'])")
_LOWER_WORD = r"[^\W\d_A-Z\u0400-\u042f\u00c0-\u00de][\w\-]{2,}"
_FR_ADJ = (r"[^\W\d_A-Z\u00c0-\u00de][\w\-]*(?:al|ale|aux|ales|ien|ienne|ais|aise|ique|aire|"
           r"aires|eur|el|elle|if|ive|ifs|ives|ain|aine|ier|iere|ière|nel|nelle|is|ise)")
_FR_TAIL = re.compile(rf"(?:[ \u00a0]{_FR_ADJ}(?![\w\-]))?"
                      rf"(?:[ \u00a0]{_FR_LINK}[ \u00a0]?{_LOWER_WORD}"
                      rf"(?:[ \u00a0]{_FR_ADJ}(?![\w\-]))?){{0,2}}")
#: Stems (folded) of Russian and Serbian organisation nouns written in lower case after a
#: capitalised adjective: "Общественная палата", "Государственной думы", "Narodne skupštine".
SLAVIC_ORG_NOUNS = tuple(fold(w) for w in """
    палат дум госдум служб совет комитет комисси союз парти фонд ассоциаци академи банк суд
    прокуратур собрани инспекци агентств министерств управлени федераци лиг движени
    объединени церкв церков компани корпораци университет институт больниц администраци
    правительств театр музе библиотек
    skupstin sindikat savez savet komisij agencij ministarstv bank sud tuzilastv institut
    fond strank udruzenj drustv univerzitet bolnic uprav vlad kancelarij inspekcij akademij
    crkv komor pozorist muzej bibliotek
    скупштин синдикат савез савет комисиј агенциј министарств банк суд тужилашт институт
    фонд странк удружењ друштв универзитет болниц управ влад канцелариј инспекциј академиј
    цркв комор позоришт музеј библиотек""".split())
_SLAVIC_ADJ_ENDS = tuple(fold(w) for w in """
    ая ое ый ий ой ого ому ую ым ом ых ие ые ей ем его ему ими ыми
    ска ски ско ског ској ске ском ских на ни но ног ној не ном них ња ње њи њег
    ska ski sko skog skoj ske skom skih na ni no nog noj ne nom nih ka ki kog koj ke
    ća ći će ćeg ćoj ćem ja ji je jeg joj jem va vi vo vog voj ve vom""".split())
_SLAVIC_WORD = re.compile(r"[ \u00a0]([^\W\d_][\w\-]+)")


#: Seats of government that stand for it ("the Kremlin said", "White House officials"):
#: folded, words joined by a space; ``_INSTITUTION_PAIRS`` are those whose second word
#: is lower case in Russian and Serbian.
INSTITUTIONS = frozenset(fold(w).replace("_", " ") for w in """
    white_house downing_street whitehall kremlin pentagon elysee matignon bercy
    quai_d’orsay vatican capitol кремль кремля кремле кремлем пентагон ватикан
    kremlj kremlja kremlju pentagon vatikan кремљ кремља кремљу пентагон ватикан""".split())
_INSTITUTION_PAIRS = frozenset((fold(a), fold(b)) for a, b in (
    ("белый", "дом"), ("белого", "дома"), ("белом", "доме"), ("белому", "дому"),
    ("белым", "домом"), ("бела", "кућа"), ("беле", "куће"), ("белој", "кући"),
    ("белу", "кућу"), ("bela", "kuća"), ("bele", "kuće"), ("beloj", "kući"),
    ("belu", "kuću")))
_INSTITUTION_ADJ = frozenset(a for a, _ in _INSTITUTION_PAIRS)
_INSTITUTION_FIRST = frozenset(w.split()[0] for w in INSTITUTIONS)


def _slavic_adjective(word: str) -> bool:
    return len(word) > 4 and word.endswith(_SLAVIC_ADJ_ENDS)


#: Frequent short words of Serbian in Latin script ("to", "i" left out: English words).
SLAVIC_MARKERS = frozenset("""
    je su da se na u za od sa iz kao što će nije jer""".split())
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def looks_slavic(text: str) -> bool:
    """Whether ``text`` may be Russian or Serbian: written in Cyrillic, or one word in
    twelve of its opening is a Serbian marker."""
    opening = text[:3000]
    if _CYRILLIC.search(opening):
        return True
    words = _WORD.findall(opening.lower())
    hits = sum(w in SLAVIC_MARKERS for w in words)
    return hits > 0 and hits * 12 >= len(words)


def _lower_tail(text: str, e: int, last: str, slavic: bool = True) -> int:
    """Where an organisation name whose last capitalised word is ``last`` ends, when it
    goes on in lower case ("Fédération| des automobilistes", "Общественная| палата"):
    ``e`` when it does not. ``slavic``: whether the text may be Russian or Serbian."""
    if not (slavic or last in FRENCH_ORG_HEADS):
        return e  # (an English or German text, the most frequent case, found first)
    if not (text[e + 1:e + 2].islower() and text[e:e + 1] in " \u00a0"):
        return e
    if last in FRENCH_ORG_HEADS:
        m = _FR_TAIL.match(text, e)
        if m and m.end() > e:
            return m.end()
        return e
    if last in _INSTITUTION_ADJ:  # "Белый дом", "Bela kuća"
        m = _SLAVIC_WORD.match(text, e)
        if m and m.group(1)[0].islower() and (last, _fold(m.group(1))) in _INSTITUTION_PAIRS:
            return m.end()
        return e
    if not _slavic_adjective(last) or last.endswith(("ие", "ые")):
        return e  # (not a plural: "Российские банки")
    pos = e
    for _ in range(3):  # up to two more lower-case adjectives, then the noun
        m = _SLAVIC_WORD.match(text, pos)
        if not m or not m.group(1)[0].islower():
            return e
        word = _fold(m.group(1))
        if word.startswith(SLAVIC_ORG_NOUNS) and len(word) <= len(
                max((x for x in SLAVIC_ORG_NOUNS if word.startswith(x)), key=len)) + 3:
            return m.end()
        if not _slavic_adjective(word):
            return e
        pos = m.end()
    return e


_ONE_CAPITAL = re.compile(rf"[ \u00a0]({_UP}[\w\-]+)(?![\w\-])(?![ \u00a0]{_UP})")


def _place_after(text: str, e: int) -> int:
    """The end of an organisation name that a place in the genitive may close:
    "Savez sindikata| Srbije", "Общественной палаты| России" (one capitalised word)."""
    m = _ONE_CAPITAL.match(text, e)
    if m is None or _fold(m.group(1)) in FUNCTION_WORDS:
        return e
    return m.end()


def _org_like(word: str, org_words: frozenset[str] | set[str]) -> bool:
    return (_is_org_word(word, org_words) or _genitive_head(word)
            or word.startswith(SLAVIC_ORG_NOUNS))


#: Patronymics: "Олег Петрович Карпов" is one name of three words.
_PATRONYMIC = ("вич", "вна", "ична")
_GAP_WORD = re.compile(r"[ \u00a0]([^\W\d_A-Z\u0400-\u042f][\w\-]{3,})")


def _word_end(text: str, pos: int) -> int:
    m = _WORD.match(text, pos)
    return m.end() if m else pos


def _title_body(text: str, s: int, e: int, tokens: list[str], offsets: list[int],
                org_words: frozenset[str] | set[str], titles: frozenset[str] | set[str],
                ) -> tuple[int, int | None, int | None, bool] | None:
    """After a title, whether ``text[s:e]`` is the body its holder belongs to.

    Gives the end of the body, then where the name is: either it ends this run
    ("Госдумы Олег Карпов": the index of its first token, then ``None``) or it is the
    next run, after at most two lower-case words ("Государственной думы| Олег Карпов":
    ``None``, then the next run's start). The last item says whether the body is an
    organisation to offer too. ``None`` when the run is the title holder's name itself.
    """
    org = any(_org_like(t, org_words) for t in _WORD.findall(_fold(text[s:e])))
    n = 3 if len(tokens) >= 4 and tokens[-2].endswith(_PATRONYMIC) else 2
    if len(tokens) > n and (len(tokens) >= 4 or any(_org_like(t, org_words)
                                                      for t in tokens[:-2])):
        # (four words after a title are a body and a name: "Novog Sada Milan Đurić")
        if not any(_org_like(t, org_words) or t in FUNCTION_WORDS for t in tokens[-n:]):
            return (_word_end(text, offsets[-n - 1]), len(tokens) - n, None,
                    any(_org_like(t, org_words) for t in tokens[:-n]))
        return None
    pos = e
    for _ in range(3):
        nxt = _RUN.match(text, pos + 1) if text[pos:pos + 1] in (" ", "\u00a0") else None
        if nxt is not None:
            run = nxt.group()
            if ((" " in run or "\u00a0" in run) and run.count(" ") + run.count("\u00a0") <= 3
                    and (org or (pos > e and all(_slavic_adjective(t) for t in tokens)))):
                # (not "Senator Ostrander visited Novi Sad": no body there)
                return pos, None, nxt.start(), org
            return None
        g = _GAP_WORD.match(text, pos)
        if g is None:
            return None
        word = _fold(g.group(1))
        if word in FUNCTION_WORDS or word in cues.ALL_CUES or word in titles:
            return None
        org = org or word.startswith(SLAVIC_ORG_NOUNS) or _genitive_head(word)
        pos = g.end()
    return None


def _is_title(word: str, titles: frozenset[str] | set[str]) -> bool:
    return word in titles or (len(word) > 9 and word.endswith(TITLE_ENDINGS))


def _is_org_word(word: str, org_words: frozenset[str] | set[str]) -> bool:
    if word in org_words:
        return True
    if len(word) <= 7:
        return False
    # German genitives too: "des Philologenverbands", "des Sozialministeriums"
    return (word.endswith(ORG_ENDINGS) or (word[-1] == "s" and word[:-1].endswith(ORG_ENDINGS))
            or (word.endswith("es") and word[:-2].endswith(ORG_ENDINGS)))

#: Titles and roles that stand before a person's name ("Senator", "Ministarka", "Bahnchef").
TITLES = cues.PERSON_ROLES | _folded("""
    mr mrs ms dr prof sen rep gov herr frau m mme monsieur madame господин госпожа gospodin
    gospođa secretary chief economist analyst professor judge general commissioner
    ambassador envoy correspondent researcher director manager ceo spokesman spokeswoman
    adviser advisor leader chair chairman chairwoman lawyer
    bahnchef hauptgeschäftsführer geschäftsführer vorsitzende vorsitzender sprecher
    sprecherin landrätin landrat verkehrsminister finanzminister arbeitsministerin
    commissaire directeur directrice secrétaire maire président présidente
    директор глава мэр депутат министр урбанист руководитель
    ekonomista direktor direktorka gradonačelnik odbornik predsednik predsednica ministarka
    ministar autorka autor analitičar upravnica управница директор министар одборник
    governor senator congressman congresswoman mayor prosecutor attorney sheriff councillor
    councilman councilwoman councilor chancellor lawmaker spokesperson inspector
    treasurer actor actress novelist historian sociologist
    préfet préfète député députée sénateur sénatrice ministre avocat avocate juge procureur
    procureure économiste sociologue politologue chercheur chercheuse professeur
    professeure délégué déléguée conseiller conseillère adjoint adjointe gouverneur
    ambassadeur ambassadrice rapporteur rapporteure vice-président vice-présidente
    porte-parole syndicaliste militant militante acteur actrice écrivain écrivaine
    губернатор губернатора губернатору губернатором вице-губернатор председатель
    председателя председателем сенатор сенатора спикер пресс-секретарь прокурор судья
    посол замминистра заместитель заместителя начальник начальника ректор профессор
    экономист политолог социолог аналитик адвокат эксперт уполномоченный омбудсмен
    советник представитель гендиректор директора министра депутата мэра актёр актриса
    писатель
    guverner guvernerka poslanik poslanica potpredsednik potpredsednica direktorka
    upravnik upravnica sudija sutkinja tužilac tužiteljka advokat advokatkinja analitičarka
    profesor profesorka gradonačelnica odbornica portparol portparolka sekretar sekretarka
    načelnik načelnica zamenik zamenica šef šefica ambasador ambasadorka predsednika
    predsednice glumac glumica pisac
    гувернер посланик посланица потпредседник потпредседница председник председница
    директорка управник судија тужилац адвокат аналитичар аналитичарка економиста професор
    професорка градоначелник градоначелница одборница портпарол секретар начелник
    начелница заменик заменица шеф амбасадор председника председнице глумац глумица писац""")

#: Words that make a name an organisation ("Carrow Bank", "Ministerium für …", "Удружење …").
ORG_WORDS = _folded("""
    bank party union federation association institute institution foundation council
    agency office board ministry department company corporation group securities
    alliance forum league committee commission authority service university school
    college society trust fund network rail energy airlines news times post capital
    partners holdings parliament assembly senate congress court
    partei verband institut stiftung ministerium bund kammer gewerkschaft bahn amt kirche
    parlament landtag bundestag parlement assemblée sénat парламент дума skupština скупштина
    parti syndicat association ministère conseil fondation institut agence banque société
    партия союз ассоциация ассоциации министерство институт фонд компания агентство
    центр совет управление служба
    stranka udruženje udruzenje ministarstvo institut fondacija agencija savez preduzeće
    elektroprivreda sindikat društvo
    странка удружење министарство институт фондација агенција савез предузеће друштво""")

#: Acronyms that are not actors of their own.
NOT_ACRONYMS = _folded("""
    ceo cfo gdp tv pm am utc faq pdf usd eur ok id no vat dna uk us eu un nato aids
    covid ii iii iv pc afp ap dpa жкх ввп ндс ссср рф сша ес pib pdv bdp tva pib""")


@dataclass(frozen=True, slots=True)
class NewActor:
    """One name in the text that the registry does not know, offered as a new actor."""

    start: int
    end: int
    text: str
    type: str | None  # "person", "organisation", or None when the text does not say
    reason: str


@dataclass(slots=True)
class NameHints:
    """What the project has taught about names: built from the registry and dismissals.

    ``tagged`` are ``(name, type)`` of the registry's actors (names and aliases): their
    first names, titles and organisation words make similar names count as names.
    ``dismissed`` are names the analyst dismissed as suggestions: never offered again,
    and their words count against candidates with little other evidence.
    """

    first_names: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    org_words: set[str] = field(default_factory=set)
    dismissed: set[tuple[str, ...]] = field(default_factory=set)
    against: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)  # of known persons: no new actor alone

    @classmethod
    def learn(cls, tagged: Iterable[tuple[str, str | None]],
              dismissed: Iterable[str] = ()) -> NameHints:
        hints = cls()
        known: set[str] = set()
        surfaces = list(tagged)
        for surface, actor_type in surfaces:
            tokens = _WORD.findall(fold(surface))
            known.update(tokens)
            if len(tokens) < 2:
                continue
            if actor_type == "person":
                if tokens[0] in TITLES or tokens[0] in FUNCTION_WORDS:
                    continue
                hints.first_names.add(tokens[0])
            elif actor_type is not None:
                ends = (tokens[0], tokens[-1])
                if any(_is_org_word(t, ORG_WORDS) for t in ends):
                    continue  # "Handelsverband Westfalen": the other end is a proper name
                for t in ends:
                    if len(t) > 3 and t not in FUNCTION_WORDS:
                        hints.org_words.add(t)
        # "President Dražić" beside "Milan Dražić": the first word is a title
        persons = [_WORD.findall(fold(s)) for s, t in surfaces if t == "person"]
        surnames = {t[-1] for t in persons if len(t) >= 2}
        hints.surnames = surnames
        for tokens in persons:
            if len(tokens) == 2 and tokens[-1] in surnames and tokens[0] not in hints.first_names:
                hints.titles.add(tokens[0])
        hints.first_names -= hints.titles
        for name in dismissed:
            gone = tuple(_WORD.findall(fold(name)))
            if gone:
                hints.dismissed.add(gone)
                hints.against.update(t for t in gone if t not in known)
        return hints


@lru_cache(maxsize=1 << 14)
def _fold(s: str) -> str:
    return fold(s)


#: Words before a name that may make it a source ("said X", "laut X", "according to X").
_NAMING_PREV = cues.STRONG | frozenset(("selon", "laut", "словам", "prema", "према", "savoir",
                                        "to"))


def _prev_word(text: str, pos: int) -> str:
    """The word before ``pos`` in the same sentence, folded ("" at a sentence start).

    Looks back at most 30 characters, walking by hand: a regular expression anchored
    at the end is tried at every position of the window, ten times slower.
    """
    lo = max(0, pos - 30)
    k = pos
    while k > lo and not (text[k - 1].isalnum() or text[k - 1] == "_"):
        if text[k - 1] in _SENTENCE_ENDS:
            return ""
        k -= 1
    j = k
    while j > lo and (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    return _fold(text[j:k]) if j < k else ""


def _next_word(text: str, pos: int) -> str:
    m = _WORD.search(text, pos, min(len(text), pos + 30))
    return _fold(m.group()) if m else ""


def _sentence_start(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\u00a0":
        k -= 1
    return k < 0 or text[k] in _SENTENCE_OPENERS


def new_actor_candidates(text: str, covered: Sequence[tuple[int, int]] = (),
                         hints: NameHints | None = None) -> list[NewActor]:
    """Names in ``text`` that look like actors and overlap no ``covered`` span.

    ``covered`` are spans already explained (mentions, registry matches); they are
    never offered, nor is a run that overlaps them.
    """
    hints = hints or NameHints()
    spans = sorted(covered)
    starts = [s for s, _ in spans]
    ends_max: list[int] = []
    best = -1
    for _, e in spans:
        if e > best:
            best = e
        ends_max.append(best)

    def is_covered(s: int, e: int) -> bool:
        k = bisect_left(starts, e)
        return bool(k) and ends_max[k - 1] > s

    titles = TITLES | hints.titles
    org_words = ORG_WORDS | hints.org_words
    german = looks_german(text)
    slavic = not german and looks_slavic(text)
    found: list[tuple[int, int, str | None, str]] = []
    pending: dict[int, tuple[str, int | None]] = {}  # run start: title before it, its body
    evidenced: dict[tuple[str, ...], tuple[str | None, str]] = {}
    plain: list[tuple[int, int, tuple[str, ...]]] = []
    for m in _RUN.finditer(text):
        s, e = m.span()
        k = bisect_left(starts, e)
        if k and ends_max[k - 1] > s:
            continue  # a known name (or a title before one): the registry explains it
        # trim a possessive or a hanging hyphen: "Harrow’s", "Industrie-"
        run = text[s:e]
        if run.endswith(("\u2019s", "'s")):
            e -= 2
        while e > s and text[e - 1] in "-\u2019'":
            e -= 1
        raw = text[s:e]
        if (" " not in raw and "\u00a0" not in raw and "-" not in raw and not raw.isupper()
                and _sentence_start(text, s)):
            # one ordinary word opening a sentence: a name only if it recurs with evidence
            folded = _fold(raw)
            if not (_is_org_word(folded, org_words) or _genitive_head(folded)
                    or folded in INSTITUTIONS
                    or ((slavic or folded in FRENCH_ORG_HEADS)
                         and _lower_tail(text, e, folded, slavic) > e)):
                # ("Удружење пољопривредника", "Sindikata vozača", "Общественная палата"
                # go on)
                if folded not in FUNCTION_WORDS and (folded,) not in hints.dismissed:
                    plain.append((s, e, (folded,)))
                continue
        if raw.isalpha():
            tokens, offsets = [_fold(raw)], [s]
        else:
            tokens = _WORD.findall(_fold(raw))
            offsets = [mm.start() for mm in _WORD.finditer(text, s, e)]
        if not tokens or len(tokens) != len(offsets) or (
                len(tokens) == 1 and tokens[0] in FUNCTION_WORDS):
            continue  # ("Monday", "I": never a name alone)
        if len(tokens) == 1 and not raw.isupper():
            if raw[-1] == "s" and raw[:-1].isupper() and len(raw) >= 3:
                continue  # a plural: "MPs", "NGOs"
            # one word inside a sentence ("Drovnian", "Brussels"), the most frequent run:
            # without a title or cue beside it, or an organisation word, it has no
            # evidence of its own; the rules below would only come to the same end
            word = tokens[0]
            prev = _prev_word(text, s)
            if not (_is_title(prev, titles) or prev in _NAMING_PREV or word in INSTITUTIONS
                    or _is_org_word(word, org_words) or _genitive_head(word)
                    or ((slavic or word in FRENCH_ORG_HEADS)
                        and _lower_tail(text, e, word, slavic) > e)
                    or _next_word(text, e) in cues.STRONG):
                if not (word in cues.ANONYMOUS_SOURCES or _is_title(word, titles)
                        or _LOWER_PART.search(text, s, e) or is_covered(s, e)
                        or (word,) in hints.dismissed or word in hints.surnames):
                    plain.append((s, e, (word,)))
                continue
        at_start = _sentence_start(text, s)
        reasons: list[str] = []
        kind: str | None = None
        prev = _prev_word(text, s)
        # titles and sentence openers in front are not part of the name, nor the words
        # that qualify a title ("Foreign Minister X", "Deputy Prime Minister X")
        last = max((j for j in range(min(4, len(tokens) - 1)) if _is_title(tokens[j], titles)),
                   default=0)
        k = last if not any(t in FUNCTION_WORDS for t in tokens[:last]) else 0
        while k < len(tokens) - 1 and (_is_title(tokens[k], titles)
                                       or tokens[k] in FUNCTION_WORDS):
            if tokens[k] in FUNCTION_WORDS and reasons:
                # "Landrätin des Kreises …": the title holder's body or place follows
                reasons.clear()
                kind = None
            elif _is_title(tokens[k], titles):
                reasons.append(f"title '{text[offsets[k]:offsets[k] + len(tokens[k])]}'")
                kind = "person"
            k += 1
        after_det = prev in DETERMINERS or (k > 0 and tokens[k - 1] in DETERMINERS)
        if k:
            s = offsets[k]
            tokens = tokens[k:]
            offsets = offsets[k:]
            at_start = False
        held = pending.pop(m.start(), None) if pending else None
        if held is not None and len(tokens) >= 2:
            # the name after "депутат Государственной думы": "Srbije Ana Kostić" ends the
            # body ("Društva sudija Srbije") and begins the name
            n = 3 if len(tokens) >= 4 and tokens[-2].endswith(_PATRONYMIC) else 2
            if len(tokens) > n:
                body = held[1]
                if body is not None:
                    bs, _, bkind, bwhy = found[body]
                    found[body] = (bs, _word_end(text, offsets[-n - 1]), bkind, bwhy)
                s = offsets[-n]
                tokens = tokens[-n:]
                offsets = offsets[-n:]
            reasons.append(held[0])
            kind = "person"
            at_start = False
        # "Party leader", "Kestrian President": a trailing title is no part of a name
        while len(tokens) > 1 and _is_title(tokens[-1], titles):
            tokens.pop()
            e = offsets[len(tokens) - 1] + len(text[offsets[len(tokens) - 1]:e].split()[0])
            offsets = offsets[:len(tokens)]
        if (tokens[0] in FUNCTION_WORDS or tokens[0] in cues.ANONYMOUS_SOURCES
                or all(_is_title(t, titles) for t in tokens)
                or _LOWER_PART.search(text, s, e)):
            continue
        if is_covered(s, e):
            continue
        key = tuple(tokens)
        if key in hints.dismissed or (len(key) == 1 and key[0] in hints.surnames):
            continue
        raw = text[s:e]
        acronym = (len(tokens) == 1 and raw.isupper()
                   and 3 <= sum(c.isalpha() for c in raw) <= 6)
        nxt = _next_word(text, e)
        after_colon = text.startswith(":", e) or text.startswith(" :", e)
        if _is_title(prev, titles) and not reasons:
            reasons.append(f"title '{prev}'")
            kind = "person"
        if key[0] in _INSTITUTION_FIRST and " ".join(key) in INSTITUTIONS:
            reasons.append("institution")
            kind = "organisation"
        gap_after = text[e:e + 2]
        gap_before = text[max(0, s - 1):s]
        if nxt in cues.STRONG and gap_after[:1] == " " and gap_after[1:2].isalpha():
            reasons.append(f"subject of the cue '{nxt}'")
        elif (prev in cues.STRONG or prev in ("selon", "laut", "словам", "prema", "према",
                                              "savoir")
              or (prev == "to" and text[max(0, s - 14):s].lower().endswith("according to ")))\
                and gap_before in (" ", "\u00a0"):
            reasons.append(f"named by the cue '{prev}'")
        ap = _APPOSITION.match(text, e) if len(tokens) >= 2 else None
        if ap and any(fold(w) in titles for w in _WORD.findall(ap.group())):
            reasons.append(f"apposition '{ap.group().strip(', ')}'")
            kind = "person"
        title_why = next((r for r in reasons if r.startswith("title")), None) if (
            kind == "person") else None
        # ("présenté en Conseil des ministres": a meeting, not a body)
        tail = e if raw.isupper() or prev == "en" or not (
            slavic or tokens[-1] in FRENCH_ORG_HEADS) else _lower_tail(text, e, tokens[-1], slavic)
        if at_start and len(tokens) == 2 and (
                (tail > e and not _slavic_adjective(tokens[0]))
                or (tail == e and _genitive_head(tokens[1]) and _GAP_WORD.match(text, e))):
            # "Члены Общественной палаты", "Predstavnici Saveza sindikata": the first word
            # is capitalised only because it opens the sentence
            s = offsets[1]
            tokens = tokens[1:]
            offsets = offsets[1:]
            raw = text[s:e]
        if tail > e:
            # "Fédération des automobilistes", "Общественная палата": the name goes on
            e = _place_after(text, tail)
            raw = text[s:e]
            reasons.append("organisation word")
            kind = "organisation"
        elif any(_is_org_word(t, org_words) for t in tokens) or (
                len(tokens) == 1 and _genitive_head(tokens[0])):
            # "Удружење пољопривредника", "Ассоциации туроператоров": head word, then a
            # lower-case genitive; one org word alone ("Conseil", "Bank") is no name
            g = re.match(r"[ \u00a0]([^\W\d_][\w\-]{4,})", text[e:e + 40])
            if (len(tokens) == 1 and g and g.group(1)[0].islower() and _genitive_head(tokens[0])
                    and fold(g.group(1)) not in FUNCTION_WORDS
                    and fold(g.group(1)) not in cues.ALL_CUES
                    and fold(g.group(1)) not in titles):
                e += g.end()
                e = _place_after(text, e)
                raw = text[s:e]
                reasons.append("organisation word")
                kind = "organisation"
            elif len(tokens) >= 2 or _compound_org(tokens[0]):
                reasons.append("organisation word")
                kind = "organisation"
        if title_why is not None and not acronym:
            # a title, then the body its holder belongs to, then the name: "депутат
            # Государственной думы Олег Карпов", "Predsednica Društva sudija Srbije Ana …"
            split = _title_body(text, s, e, tokens, offsets, org_words, titles)
            if split is not None:
                body_end, name_at, next_run, body_org = split
                why = f"organisation word; body of the {title_why}"
                if next_run is not None:  # the name is the next run: it gets the title
                    pending[next_run] = (title_why, len(found) if body_org else None)
                if body_org:
                    found.append((s, body_end, "organisation", why))
                if name_at is not None:
                    name_key = tuple(tokens[name_at:])
                    if name_key not in hints.dismissed:
                        found.append((offsets[name_at], e, "person", title_why))
                        evidenced.setdefault(name_key, ("person", title_why))
                continue
        if raw.isupper() and after_colon and (s == 0 or text[s - 1] == "\n"):
            reasons.append("transcript label")
            kind = "person"
        elif acronym:
            if tokens[0] in NOT_ACRONYMS:
                continue
            para_start = s == 0 or text[s - 1] == "\n"
            if para_start and (e == len(text) or text[e] in ",\n(" or text.startswith(
                    (" -", " \u2013", " \u2014", " (", " /"), e)):
                continue  # a dateline: "LONDON, March 4", "БЕОГРАД -" ("ICE said": a name)
            reasons.append("acronym")
            kind = kind or "organisation"
        if tokens[0] in hints.first_names and len(tokens) >= 2:
            reasons.append(f"first name '{tokens[0]}' known from the registry")
            kind = "person"
        elif tokens[0] in FIRST_NAMES and len(tokens) >= 2 and kind is None:
            reasons.append(f"first name '{tokens[0]}'")
            kind = "person"
        if 2 <= len(tokens) <= 4 and not at_start and prev not in LOCATIVES:
            reasons.append(f"{len(tokens)}-word name inside a sentence")
        if not reasons:
            plain.append((s, e, key))
            continue
        if len(tokens) == 1 and not acronym and kind is None and (
                at_start or after_det
                or (german and all(r.startswith("subject of") for r in reasons))):
            # "Diplomats said", "die Entscheidung kritisierte", "Als Grund nannte": a noun
            # as often as a name (German puts any noun before its verb)
            plain.append((s, e, key))
            continue
        weak_only = len(reasons) == 1 and "inside a sentence" in reasons[0]
        if weak_only and (german or any(t in hints.against for t in tokens)
                          or any(t in FUNCTION_WORDS and t not in _CONNECTORS for t in tokens)):
            continue  # (German: "Landkreis Görlitz", "des Klinikums Nord" are nouns and places)
        if kind is None and len(tokens) >= 2 and not any(t in org_words for t in tokens):
            kind = "person" if any("cue" in r or "title" in r for r in reasons) else None
        found.append((s, e, kind, "; ".join(reasons)))
        evidenced.setdefault(key, (kind, "; ".join(reasons)))
    # the same name elsewhere without evidence of its own, and surnames of full names
    surnames = {k[-1:]: (k, kind) for k, (kind, _) in evidenced.items()
                if kind != "organisation" and 2 <= len(k) <= 3}
    for s, e, key in plain:
        if len(key) == 1 and key[0] in hints.surnames:
            continue
        if key in evidenced:
            kind, why = evidenced[key]
            found.append((s, e, kind, f"same name as above ({why})"))
        elif key in surnames:
            full, kind = surnames[key]
            found.append((s, e, kind, f"last word of {' '.join(full).title()}"))
    for n, (s, e, kind, why) in enumerate(found):
        key = tuple(_WORD.findall(_fold(text[s:e])))
        if kind is None and key in surnames and surnames[key][1] == "person":
            found[n] = (s, e, "person", f"{why}; last word of {' '.join(surnames[key][0]).title()}")
    found.sort()
    out: list[NewActor] = []
    last_end = -1
    for s, e, kind, why in found:
        if s < last_end:
            continue
        out.append(NewActor(s, e, text[s:e], kind, why))
        last_end = e
    return out


__all__ = ["FUNCTION_WORDS", "NameHints", "NewActor", "ORG_WORDS", "TITLES",
           "new_actor_candidates"]
