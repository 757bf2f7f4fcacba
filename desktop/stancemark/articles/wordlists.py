"""Short word lists the scraped-text cleaner uses: function words per language.

Running text is full of small function words (articles, prepositions,
pronouns, auxiliaries); menus, link lists and footers hardly have any. The
lists are short on purpose — the most common function words of each language,
written for this project — since the cleaner needs a density, not a grammar.
Serbian is listed once in Latin script; the Cyrillic list is its transliteration.
"""

from __future__ import annotations

_LISTS = {
    "en": """
        a about after against all also an and any are as at be been before being but by
        can could did do does down during each even for from had has have he her here him
        his how i if in into is it its just may me more most my no nor not now of off on
        once only or other our out over said says she should so some such than that the
        their them then there these they this those through to too under until up very
        was we were what when where which while who whom why will with would you your
    """,
    "de": """
        aber alle als also am an auch auf aus bei bereits bis da damit dann das dass dem
        den denn der des die dies diese diesem diesen dieser doch dort du durch ein eine
        einem einen einer eines er es etwa für gegen habe haben hat hatte hier ich ihm ihn
        ihr ihre im in ist ja jetzt kann kein keine man mehr mit muss nach nicht noch nun
        nur ob oder ohne sehr sei seien sein seine seit sich sie sind so soll sollen sowie
        über um und uns unter vom von vor war waren was weil wenn werden wie wieder wir
        wird wo wurde wurden zu zum zur zwei zwischen
    """,
    "fr": """
        a à afin ai au aussi autre aux avait avec avoir c ce cela celle ces cet cette ceux
        comme contre d dans de des deux donc dont du elle elles en encore entre est et été
        être eu fait il ils j l la le les leur leurs lui m mais me même mes moins n ne ni
        nos notre nous on ont ou où par pas plus pour qu que qui s sa sans se selon ses si
        son sont sous sur t ta te tous tout toute très tu un une vers vous y
    """,
    "es": """
        a al algo ante antes como con contra cual cuando de del desde donde durante e el
        él ella ellas ellos en entre era es esa ese eso esta está están este esto estos fue
        fueron ha han hasta hay la las le les lo los más me mi muy ni no nos o otra otro
        para pero por porque que qué se ser si sí sin sobre son su sus también tanto te
        tiene tras un una uno unos y ya
    """,
    "it": """
        a ad agli ai al alla alle allo anche che chi ci come con contro da dai dal dalla
        dalle degli dei del della delle dello di dopo e è ed era essere fa gli ha hanno i
        il in io la le lei li lo loro ma mi ne nei nel nella nelle non noi o per perché più
        quale quando quella quelle questa queste questo se sei si sia sono su sua sue sui
        sul sulla suo suoi tra tutti tutto un una uno l dell all nell sull c un' d
    """,
    "ru": """
        а без более бы был была были было быть в вам вас весь во вот все всё всех вы где
        да даже для до его ее её если есть ещё же за здесь и из или им их к как ко когда
        который которые кто ли либо мы на над не него нее неё нет ни них но ну о об однако
        он она они оно от по под после при про с со так также такой там то того тоже том
        только тот у уже хотя чего чем что чтобы эта эти это этого этой этот я
    """,
    "sr": """
        a ako ali bi bila bile bili bilo biti bio će ćemo ćete da do dok duž ga i ih iz
        ja je jer još ju kad kada kako kao koja koje koji kojih kojima kojoj ko li mi
        može na nad nakon nam nas ne nego neće nije niti njega njegov njegova njen njih
        o od odnosno ona one oni ono ova ove ovaj ovo pa po pod posle pre prema pri
        protiv s sa se sebe si sve svi što su sve ta taj te to tokom u uz vi za zbog
        već više sam smo ste su iako kod biće rekao rekla rekli kaže kažu
    """,
}

_CYRILLIC = {
    "lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ",
    "d": "д", "đ": "ђ", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ј",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
    "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}


def to_cyrillic(word: str) -> str:
    """Serbian Latin to Cyrillic, letter by letter (lj, nj, dž are one letter)."""
    out = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in ("lj", "nj", "dž"):
            out.append(_CYRILLIC[pair])
            i += 2
        else:
            out.append(_CYRILLIC.get(word[i], word[i]))
            i += 1
    return "".join(out)


STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _LISTS.items()
}
STOPWORDS["sr-Cyrl"] = frozenset(to_cyrillic(w) for w in STOPWORDS["sr"])

