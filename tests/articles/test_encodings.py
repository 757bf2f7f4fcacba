"""Each supported encoding, written from our own sentences at test time."""

import codecs

import pytest

from stancemark.articles import read_bytes, read_file

ENGLISH = (
    "Minister’s “final offer” rejected\n\n"
    "The opposition said the €40 million package was “far too little, far too late.”\n\n"
    "The finance ministry called the criticism unfair."
)
RUSSIAN = (
    "Министр отверг обвинения оппозиции\n\n"
    "Министр иностранных дел заявил, что переговоры «зашли в тупик» и что Москва ответит.\n\n"
    "Оппозиция назвала это заявление безответственным."
)
SERBIAN = (
    "Председник одбацио критике\n\n"
    "Председник је рекао да Србија неће признати независност, а опозиција га је оптужила за лаж."
)
FRENCH = (
    "Le ministre défend la réforme\n\n"
    "Le ministre a déclaré à Genève que l'accord était signé. L'opposition a dénoncé "
    "un « passage en force » et a promis de saisir le Conseil d'État."
)
GERMAN = (
    "Außenministerin kritisiert Nachbarland\n\n"
    "Die Außenministerin sagte, die Verhandlungen seien gescheitert. Grüße aus Köln, "
    "schrieb die Opposition spöttisch."
)
WORLD = "Summit opens with a pledge 🌍\n\nLeaders met in Tirana and Vučić spoke after Kurti 👍."


@pytest.mark.parametrize(
    ("text", "encoding", "codec"),
    [
        (WORLD, "utf-8", "utf-8"),
        (WORLD, "utf-8-sig", "utf-8-sig"),
        (WORLD, "utf-16", None),  # Python writes a BOM in native order
        (RUSSIAN, "cp1251", "cp1251"),
        (SERBIAN, "cp1251", "cp1251"),
        (ENGLISH, "cp1252", "cp1252"),
        (FRENCH, "latin-1", "iso8859-1"),
        (GERMAN, "latin-1", "iso8859-1"),
    ],
)
def test_encodings_decode_to_the_same_text(text, encoding, codec):
    draft = read_bytes(text.encode(encoding), name="a.txt")
    assert draft.text == text
    assert draft.title == text.split("\n")[0]
    assert not draft.text.startswith("\ufeff") and not draft.raw.startswith("\ufeff")
    if codec:
        assert draft.encoding == codec


@pytest.mark.parametrize(
    ("bom", "encoding", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_utf16_with_bom(tmp_path, bom, encoding, codec):
    path = tmp_path / "a.txt"
    path.write_bytes(bom + RUSSIAN.replace("\n", "\r\n").encode(encoding))
    draft = read_file(path)
    assert draft.encoding == codec
    assert draft.text == RUSSIAN
    assert draft.title == "Министр отверг обвинения оппозиции"


def test_utf16_without_bom_is_recognised():
    draft = read_bytes(ENGLISH.encode("utf-16-le"), name="a.txt")
    assert draft.encoding == "utf-16-le"
    assert draft.text == ENGLISH


def test_cp1250_serbian_latin():
    text = "Vučić odbacio kritike\n\nPredsednik je rekao da Srbija neće priznati nezavisnost."
    draft = read_bytes(text.encode("cp1250"), name="a.txt")
    assert draft.text == text
    assert draft.encoding == "cp1250"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_ends_normalised(newline):
    draft = read_bytes(RUSSIAN.replace("\n", newline).encode("cp1251"), name="a.txt")
    assert draft.text == RUSSIAN
    assert newline in draft.raw


def test_cyrillic_and_latin_mixed_in_utf8():
    text = (
        "Vučić: „Nećemo odustati“\n\nPredsednik je rekao: «Мы не отступим», a Kurti je odgovorio."
    )
    draft = read_bytes(text.encode("utf-8"), name="a.txt")
    assert draft.text == text
    assert draft.encoding == "utf-8"


def test_greek_code_page_via_charset_normalizer():
    text = "Ο υπουργός δήλωσε ότι η συμφωνία είναι νεκρή, ενώ η αντιπολίτευση διαφώνησε."
    draft = read_bytes(text.encode("cp1253"), name="a.txt")
    assert draft.text == text
    assert draft.encoding == "cp1253"
