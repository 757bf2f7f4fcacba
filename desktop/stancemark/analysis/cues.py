"""Words that mark reported speech in news, per language, and the words around them.

The tables are plain data so a rule that fires can name the word that made it fire
(the suggestion's *reason*). Every word is stored *folded* (case and diacritics
removed, see :func:`stancemark.core.text.fold`) because matching runs on the folded
text: ``izjavio`` covers ``izjavio``/``IZJAVIO``, ``saopstili`` covers ``saopštili``.

- **strong cues** report a position wherever they stand (*said*, *sagte*, *a déclaré*,
  *заявил*, *izjavio*, *изјавио*);
- **weak cues** do so only in some constructions, checked by
  :func:`stancemark.analysis.suggest.cue_ok` (*found* needs *that* or a poll as subject,
  *so* needs a comma before it: „…, so ein Sprecher“, *zeigte* a poll or *sich*: „zeigte
  sich enttäuscht“);
- **source phrases** open an attribution before the content (*according to*, *laut*,
  *selon*, *d'après*, *по словам*, *prema*, *према*).
"""

from __future__ import annotations

import re

from stancemark.core.text import fold


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


STRONG_CUES: dict[str, frozenset[str]] = {
    "en": _folded("""
        said says told tells claimed claims accused accuses accusing warned warns warning
        stressed stresses added adds adding argued argues arguing insisted insists insisting
        denied denies announced announces stated declared declares noted notes explained
        emphasised emphasized urged urges demanded demands condemned condemns
        criticised criticized criticises criticizes promised promises pledged pledges vowed
        vows threatened threatens confirmed confirms acknowledged admitted suggested
        maintained maintains reiterated asserted alleged alleges wrote writes tweeted
        replied responded countered blamed blames predicted praised praises believes
        proposed
        estimated estimates conceded concluded complained recalled signalled signaled
        cautioned contended observed revealed reported"""),
    "de": _folded("""
        sagte sagt sagten erklärte erklärt erklärten betonte betont betonten kritisierte
        kritisiert kritisierten forderte fordert forderten warnte warnt warnten warf werfen
        teilte teilten meinte meint behauptete behauptet versprach verspricht versprachen
        bestätigte bestätigt räumte kündigte begrüßte begrüßt schrieb schreibt twitterte
        argumentierte argumentiert unterstrich mahnte mahnt beklagte beklagt bekräftigte
        ergänzte fügte verwies verteidigte widersprach entgegnete zweifelt bezweifelt
        ergab ergibt berichtete berichtet vorgeschlagen gesagt gefordert gewarnt
        angekündigt bekräftigt versprochen eingeräumt betonten wies weist
        reagierte reagierten nannte nannten nennt"""),
    "fr": _folded("""
        déclaré affirmé affirme assuré assure estimé estime dénoncé dénonce indiqué indique
        souligné souligne expliqué explique annoncé annonce ajouté ajoute prévenu averti
        rappelé rappelle précisé précise jugé juge regretté regrette reconnu promis promet
        critiqué critique accusé accuse confié martelé insisté répondu réagi plaidé réclamé
        réclame exigé exige admis concédé considère pense déploré déplore fustigé
        révèle révélé montre analyse écrit twitté dit exprimé exprime prévient avertit
        dénoncent estiment affirment assurent jugent préviennent"""),
    "ru": _folded("""
        заявил заявила заявили заявляет заявляют сказал сказала сказали сообщил сообщила
        сообщили сообщает сообщают отметил отметила отметили подчеркнул подчеркнула
        подчеркнули пояснил пояснила пояснили уточнил уточнила уточнили считает считают
        полагает полагают утверждает утверждают объявил объявила пообещал пообещала
        призвал призвала призвали обвинил обвинила обвинили добавил добавила признал
        признала напомнил напомнила предупредил предупредила раскритиковал написал
        написала показал показала показало убежден уверен уверена уверены сомневаются
        сомневается опасаются отмечают подчеркивают утверждают полагают"""),
    "sr": _folded("""
        izjavio izjavila izjavili rekao rekla rekli kazao kazala naveo navela naveli
        navodi ocenio ocenila ocenili ocenjuje istakao istakla istakli ističe poručio
        poručila poručili tvrdi tvrde smatra smatraju upozorio upozorila upozorili
        saopštio saopštila saopštili najavio najavila objasnio objasnila objasnili dodao
        dodala kritikovao kritikovala optužio optužila obećao obećala zatražio zatražila
        odgovorio odgovorila pokazalo pokazuje veruje upozorava upozoravaju kaže kažu
        navode ocenjuju ističu poručuju tvrdio tvrdila
        изјавио изјавила изјавили рекао рекла рекли казао казала навео навела навели
        наводи оценио оценила оценило оценили истакао истакла истакли истиче поручио
        поручила тврди тврде сматра сматрају упозорио упозорила саопштио саопштила
        саопштили најавио најавила објаснио објаснила додао додала критиковао оптужио
        обећао затражио одговорио показало показује верује упозорава упозоравају каже
        кажу наводе оцењују истичу поручују"""),
}

#: Cues that report a position only in some constructions (see ``cue_ok``).
WEAK_CUES: dict[str, frozenset[str]] = {
    "en": _folded("""called calls dismissed described describes according welcomed welcomes
                     found finds find showed shows show learned learnt reports posted thinks
                     rejected rejects"""),
    "de": _folded("so laut zufolge zeigt zeigte zeigen demnach hieß angaben"),
    "fr": _folded("selon savoir appelé après"),
    "ru": _folded("словам данным мнению"),
    "sr": _folded("prema према"),
}

STRONG = frozenset().union(*STRONG_CUES.values())
WEAK = frozenset().union(*WEAK_CUES.values())
ALL_CUES = STRONG | WEAK

#: Subjects that make *found/showed/shows* a report: polls, studies, surveys, audits.
#: Matched as stems (see :func:`is_study`), so inflected forms count too.
STUDY_WORDS = _folded("""
    poll polls survey surveys study studies report research audit analysis review
    census umfrage studie erhebung analyse sondage enquete etude опрос опроса
    исследование данные istraživanje istrazivanje anketa studija истраживање анкета""")

#: Words after which *according to*-style phrases name a source, for the weak cues.
SOURCE_NOUNS = _folded("""
    rečima recima podacima informacijama mišljenju misljenju рецима речима подацима
    информацијама мишљењу""")

#: Nouns of unnamed sources: "sources said", "officials said" have no claimant to guess.
ANONYMOUS_SOURCES = _folded("""
    sources source officials official aides aide people diplomats diplomat analysts experts
    critics observers insiders residents witnesses
    quellen kreisen experten beobachter sources responsables experts
    conseiller источник источники эксперты аналитики izvori izvor stručnjaci извори
    стручњаци""")

#: Pronouns that stand for a speaker named earlier, per grammatical person they may mean.
PRONOUNS = _folded("""
    he she they him her er sie il elle ils elles он она они on ona oni он она они""")

#: Role nouns that stand for a named person mentioned earlier ("the senator said").
PERSON_ROLES = _folded("""
    senator minister president governor mayor chairman chairwoman chair secretary leader
    spokesman spokeswoman author adviser candidate official deputy mp
    ministerin minister präsident präsidentin kanzler kanzlerin bürgermeisterin
    bürgermeister abgeordnete abgeordneter ministre président présidente maire député
    députée министр президент мэр депутат глава ministar ministarka predsednik
    predsednica gradonačelnik министар председник градоначелник""")

#: Role nouns that stand for an organisation mentioned earlier ("the company said").
ORG_ROLES = _folded("""
    company group firm union operator foundation institute ministry department agency
    regulator compagnie direction
    party bank board government council unternehmen konzern verband ministerium
    spokesman spokeswoman spokesperson sprecher sprecherin porte-parole portparol
    портпарол пресс-секретарь
    regierung partei gewerkschaft entreprise groupe syndicat gouvernement ministère
    компания министерство правительство партия kompanija preduzeće ministarstvo vlada
    stranka компанија министарство влада странка""")

#: Labels that open an interviewer's turn in a transcript ("Q:", "Frage:", "Питање:").
INTERVIEWER_LABELS = _folded("""
    q question frage pitanje питање вопрос корреспондент корреспондента interviewer
    journalist journalistin reporter moderator moderatorin novinar новинар""")

#: Labels of poll headlines ("Poll: …", "Umfrage: …", "Sondage : …").
POLL_LABELS = _folded("""
    poll survey study umfrage studie sondage enquête опрос исследование istraživanje
    anketa истраживање анкета""")

#: Words that open an op-ed's byline ("By X", "Von X", "Par X", "Пише X", "Автор — X").
BYLINE_WORDS = _folded("by von par автор pise пише piše")

#: German Konjunktiv I forms: reported speech that continues the previous attribution.
KONJUNKTIV = _folded("""
    sei seien habe werde könne müsse solle wolle dürfe gebe lehne fehle treibe liege
    stehe gehe komme brauche""")


_STUDY_STEMS = tuple(sorted({w[:max(4, len(w) - 2)] for w in STUDY_WORDS}))


def is_study(word: str) -> bool:
    """Whether a folded word names a poll, study or survey, in any inflected form."""
    return word in STUDY_WORDS or (len(word) >= 4 and word.startswith(_STUDY_STEMS))


# every study word is at least four letters long (a unit test checks), so it starts with
# its own stem and a word is a study word exactly when it starts with a stem
_STUDY_WORD_START = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, _STUDY_STEMS)) + ")")


def names_study(folded: str) -> bool:
    """Whether some word of a folded text names a poll, study or survey (one scan)."""
    return _STUDY_WORD_START.search(folded) is not None
