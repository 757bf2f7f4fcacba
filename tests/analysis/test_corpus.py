"""The fixture corpus for the suggestion benchmark loads and is big enough."""

from __future__ import annotations

from tests.analysis.corpus import load_corpus, load_registry, parse


def test_corpus_loads_with_enough_gold():
    corpus = load_corpus()
    registry = load_registry()
    assert len(corpus) >= 20
    assert sum(len(a.mentions) for a in corpus) >= 150
    assert sum(len(a.claims) for a in corpus) >= 60
    for a in corpus:
        assert 250 <= len(a.text.split()) <= 500, a.name
        assert "[[" not in a.text and "{{" not in a.text and "}}" not in a.text, a.name
        for s, e, key in a.mentions:
            assert key in registry, (a.name, key)
            assert a.text[s:e].strip() == a.text[s:e], (a.name, a.text[s:e])
        for s, e, key in a.claims:
            assert key is None or key in registry, (a.name, key)
            assert e - s > 10, (a.name, a.text[s:e])


def test_markup_parser():
    g = parse("title: T\n---\n{{k|[[Kurti|k]] said no.}} [[EU|eu]]'s view.\n")
    assert g.title == "T"
    assert g.text == "Kurti said no. EU's view.\n"
    assert g.mentions == [(0, 5, "k"), (15, 17, "eu")]
    assert g.claims == [(0, 14, "k")]


def test_news_set_covers_genres_languages_and_keeps_held_out_apart():
    from tests.analysis.corpus import load_news, load_news_registry

    news = load_news()
    registry = load_news_registry()
    assert len(news) >= 30
    assert {a.meta["genre"] for a in news} == {"wire", "interview", "oped", "poll"}
    assert {a.meta["lang"] for a in news} == {"en", "de", "fr", "ru", "sr", "sr-Cyrl"}
    assert {a.meta["split"] for a in news} == {"dev", "heldout", "heldout2", "heldout3"}
    assert len(load_news("dev")) < len(load_news("heldout"))
    assert any(not a["registered"] for a in registry.values())
    for a in news:
        assert "[[" not in a.text and "{{" not in a.text and "}}" not in a.text, a.name
        for *_, key in a.mentions:
            assert key in registry, (a.name, key)
        for *_, claimant in a.claims:
            assert claimant is None or claimant in registry, (a.name, claimant)
