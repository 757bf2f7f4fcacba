"""Our own made-up news items laid out as Nexis Uni and Factiva downloads lay them out.

The wording is invented for the tests; only the shape (field labels, their order,
cover page, end markers, field codes) follows the databases' exports.
"""

from __future__ import annotations

TOWNS = ["Carrow", "Bellmoor", "Ashby Vale", "Dunmere", "Kelby", "Orton Fells"]


def story(i: int) -> tuple[str, list[str]]:
    """Title and body paragraphs of invented item ``i`` (all different)."""
    town = TOWNS[i % len(TOWNS)]
    title = f"{town} council delays vote on harbour levy ({i})"
    body = [
        f"Councillors in {town} postponed a decision on the harbour levy for the {i}th time "
        "on Monday, after fishermen packed the public gallery.",
        f"The levy would raise about {1000 + i * 7} pounds a month for dredging, the finance "
        "officer said, but owners of small boats say they cannot pay it.",
        "\u201cWe are not against the harbour, we are against being the only ones paying "
        "for it,\u201d said a skipper who has fished there for thirty years.",
        "The council will meet again next month.",
    ]
    return title, body


def nexis_paragraphs(n: int, *, broken: set[int] | None = None, cover: bool = True
                     ) -> list[str | tuple[str, str]]:
    """A Nexis Uni bundle of ``n`` items as DOCX paragraphs; items in ``broken`` lack a header."""
    broken = broken or set()
    out: list[str | tuple[str, str]] = []
    if cover:
        out += ["User Name: = Desk Analyst", "Date and Time: = March 4, 2024 10:12 AM EST",
                "Job Number: = 211990", f"Documents ({n})"]
        for i in range(1, n + 1):
            out += [f"{i}. {story(i)[0]}", "Client/Matter: -None-",
                    "Search Terms: harbour levy", "Search Type: Terms and Connectors"]
    for i in range(1, n + 1):
        title, body = story(i)
        if i in broken:
            out += ["Some text without any of the fields", "End of Document"]
            continue
        out += [("Title", title), "The Coastal Courier", f"March {1 + i % 28}, 2024 Friday",
                "Late Edition", "Copyright 2024 Coastal Courier Ltd All Rights Reserved",
                "Section: LOCAL NEWS; Pg. 4", f"Length: {120 + i} words",
                f"Byline: By Jo Fenwick {i}", "Body", *body, "Classification",
                "Language: ENGLISH", "Publication-Type: Newspaper",
                "Subject: LOCAL GOVERNMENT (90%); PORTS (88%)",
                f"Load-Date: March {2 + i % 27}, 2024", "End of Document"]
    return out


def factiva_paragraphs(n: int, *, broken: set[int] | None = None) -> list[str]:
    """A Factiva "Full Article/Report plus Indexing" download of ``n`` items."""
    broken = broken or set()
    out: list[str] = []
    for i in range(1, n + 1):
        title, body = story(i)
        if i in broken:
            out += ["HD", "", "AN", f"Document BROKEN00{i}"]
            continue
        out += ["HD", title, "BY", f"By Sam Okafor {i}", "WC", f"{140 + i} words",
                "PD", f"{1 + i % 28} February 2024", "SN", "Northern Ledger", "SC", "NLEDG",
                "SE", "Regional", "LA", "English", "CY", "(c) 2024 Northern Ledger Group",
                "LP", body[0], "TD", *body[1:], "CO", "hrbau : Harbour Authority",
                "NS", "gpol : Domestic Politics", "RE", "uk : United Kingdom",
                "AN", f"Document NLEDG00020240201ek2{i:04d}"]
    return out


def factiva_html(n: int) -> str:
    """A Factiva HTML download (field-table layout) of ``n`` items."""
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Factiva</title>'
             "</head><body>"]
    for i in range(1, n + 1):
        title, body = story(i)
        rows = [("HD", f"<p>{title}</p>"), ("BY", "Sam Okafor"), ("WC", f"{140 + i} words"),
                ("PD", f"{1 + i % 28} February 2024"), ("SN", "Northern Ledger"),
                ("LA", "English"), ("CY", "(c) 2024 Northern Ledger Group"),
                ("LP", f"<p>{body[0]}</p>"),
                ("TD", "".join(f"<p>{p}</p>" for p in body[1:])),
                ("AN", f"Document NLEDG00020240201ek2{i:04d}")]
        cells = "".join(f"<tr><td><b>{code}</b></td><td>{value}</td></tr>"
                        for code, value in rows)
        parts.append(f'<div class="article enArticle"><table>{cells}</table></div>')
    parts.append("</body></html>")
    return "".join(parts)


def lexis_text(n: int, *, german: bool = False) -> str:
    """The older LexisNexis plain-text download: "N of M DOCUMENTS", outlet and date above
    the title, capitalised labels, paragraphs wrapped at 70 characters and blank lines."""
    import textwrap

    labels = (("RUBRIK", "LÄNGE", "AUTOR", "SPRACHE") if german
              else ("SECTION", "LENGTH", "BYLINE", "LANGUAGE"))
    marker = "Dokument {i} von {n}" if german else "{i} of {n} DOCUMENTS"
    out = [f"Download Request: Current Document: 1-{n}", "Terms: harbour levy", ""]
    for i in range(1, n + 1):
        title, body = story(i)
        out += ["", "                    " + marker.format(i=i, n=n), "",
                "                         The Coastal Courier", "",
                f"                       March {i % 28 + 1}, 2011 Friday", "",
                title, "", f"{labels[2]}: Jo Fenwick", "", f"{labels[0]}: NEWS; Pg. 7", "",
                f"{labels[1]}: {200 + i} words", ""]
        for p in body:
            out += [*textwrap.wrap(p, 70), ""]
        out += [f"LOAD-DATE: March {i % 28 + 2}, 2011", "", f"{labels[3]}: ENGLISH", "",
                "PUBLICATION-TYPE: Newspaper", "",
                "Copyright 2011 Coastal Courier Ltd", "All Rights Reserved", ""]
    return "\r\n".join(out)
