"""Agreement of a project's annotators: checks the request, reads, computes, renders, writes.

:func:`project_agreement` is the one entry point for the command line and (later)
the window's agreement view: it refuses unknown annotators, fewer than two
annotators with annotations and unknown article ids with typed errors, reads
the coding through ``store.agreement`` and hands it to the pure
:func:`stancemark.analysis.agreement.compute_agreement`. :func:`render` turns a
report into ``table``, ``json`` or ``csv`` text and :func:`write_text` puts it
in a file atomically (temporary file beside it, then ``os.replace``), refusing
to overwrite unless told to.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stancemark.analysis.agreement import (
    LAYERS,
    MEASURES,
    AgreementOptions,
    AgreementReport,
    AgreementUnit,
    agreement_units,
    compute_agreement,
)
from stancemark.core.coding import CodingData
from stancemark.core.errors import NotFoundError, ValidationError
from stancemark.core.progress import CancelFlag, ProgressCallback, ProgressEvent, no_progress
from stancemark.store import Store
from stancemark.store.agreement import (
    annotator_names,
    annotators_with_annotations,
    existing_article_ids,
    read_coding,
)

FORMATS = ("table", "json", "csv")


def checked_coding(store: Store, annotators: Sequence[str] | None = None,
                   article_ids: Sequence[int] | None = None) -> CodingData:
    """The coding to compare, after refusing what cannot be compared (typed errors)."""
    known = annotator_names(store)
    if annotators is not None:
        wanted = list(dict.fromkeys(a.strip() for a in annotators if a.strip()))
        unknown = [a for a in wanted if a not in known]
        if unknown:
            raise NotFoundError(f"Unknown annotator(s): {', '.join(unknown)}.",
                                f"Known: {', '.join(known) or 'none'}.")
    else:
        wanted = annotators_with_annotations(store)
    if article_ids is not None:
        if not article_ids:
            raise ValidationError("--articles names no article.")
        missing = sorted(set(article_ids) - existing_article_ids(store, list(article_ids)))
        if missing:
            raise NotFoundError(f"No article with id {', '.join(map(str, missing[:10]))}"
                                f"{' …' if len(missing) > 10 else ''} in this project.")
    if len(wanted) < 2:
        raise ValidationError("Agreement needs at least two annotators with annotations; "
                              f"found {len(wanted)}.", "Name two or more with --annotators.")
    data = read_coding(store, wanted, article_ids)
    active = sorted({a for who in data.coded.values() for a in who})
    if len(active) < 2:
        where = " on these articles" if article_ids is not None else ""
        raise ValidationError(
            f"Fewer than two of the chosen annotators have annotations{where} "
            f"({', '.join(active) or 'none'}).", "Choose annotators who coded the same articles.")
    data.annotators = [a for a in wanted if a in active]
    return data


def project_agreement(store: Store, annotators: Sequence[str] | None = None,
                      article_ids: Sequence[int] | None = None,
                      options: AgreementOptions | None = None,
                      progress: ProgressCallback = no_progress,
                      cancel: CancelFlag | None = None) -> AgreementReport:
    """Agreement between ``annotators`` (default: all who annotated) on ``article_ids``.

    A long job in the house style: ``progress`` hears of each pair, ``cancel``
    stops it between pairs (raising :class:`~stancemark.core.errors.Cancelled`).
    """
    flag = cancel or CancelFlag()
    data = checked_coding(store, annotators, article_ids)
    flag.check()

    def step(done: int, total: int, message: str) -> None:
        flag.check()
        progress(ProgressEvent(done, total, message))

    return compute_agreement(data, options, progress=step)


def project_units(store: Store, annotators: Sequence[str] | None = None,
                  article_ids: Sequence[int] | None = None) -> dict[str, list[AgreementUnit]]:
    """Every layer's matched units with each coder's values and annotations (for adjudication)."""
    return agreement_units(checked_coding(store, annotators, article_ids))


# -- rendering -------------------------------------------------------------------------------

def render(report: AgreementReport, fmt: str) -> str:
    """The report as ``table``, ``json`` or ``csv`` text."""
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        return render_csv(report)
    if fmt == "table":
        return render_table(report)
    raise ValidationError(f"Unknown format {fmt!r}.", f"Choose one of: {', '.join(FORMATS)}.")


def _num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _sig(value: Any) -> str:
    """Four significant digits: αu's disagreements are tiny on a long continuum."""
    return "-" if value is None else f"{value:.4g}"


_SHORT = {"alpha_u": "αu", "f1_exact": "F1 exact", "f1_overlap": "F1 overl.",
          "alpha_nominal_category": "category", "alpha_nominal_claimant": "claimant",
          "alpha_nominal_target": "target", "alpha_ordinal_stance": "stance ord",
          "alpha_interval_stance": "stance int", "alpha_nominal_actor": "actor",
          "alpha_ordinal": "ordinal", "alpha_interval": "interval", "kappa": "kappa"}

_TITLES = {"mentions": "Mentions (unit: span + actor)", "claims": "Claims (unit: span)",
           "article_sentiment": "Article sentiment (unit: article)",
           "actor_sentiment": "Actor sentiment (unit: article × actor)"}


def _unit_values(values: dict[str, Any]) -> str:
    """Each coder's values of a unit; with many coders, each distinct value and how many gave it."""
    shown = {c: "-" if v is None else ",".join(f"{x}" for x in v.values())
             for c, v in values.items()}
    if len(shown) <= 6:
        return "; ".join(f"{c}: {v}" for c, v in shown.items())
    counts: dict[str, int] = {}
    for v in shown.values():
        counts[v] = counts.get(v, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "; ".join(f"{v} ×{n}" for v, n in ordered) + "  ('-' = not marked)"


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def _over_pairs(pairs: list[dict[str, Any]], key: str, pick: Any) -> float | None:
    values = [p[key] for p in pairs if p.get(key) is not None]
    return pick(values) if values else None


def _detail_row(key: str, value: Any, detail: dict[str, Any] | None) -> list[str]:
    detail = detail or {}
    ci = detail.get("ci95")
    used = ""
    if key == "alpha_u":
        used = (f"L={detail.get('continuum_length', 0):,}, "
                f"{detail.get('articles', 0)} art.")
        left = detail.get("articles_left_out")
        if left:
            used += f", {left} not coded by all"
    elif key == "kappa":
        used = f"{detail.get('statistic', '')}, {detail.get('units', 0)} units"
    elif "pairable_values" in detail:
        used = f"{detail.get('units', 0)} units, n={detail['pairable_values']}"
    if key.startswith("alpha"):
        d_o = _sig(detail.get("observed_disagreement"))
        d_e = _sig(detail.get("expected_disagreement"))
    elif key == "kappa":
        d_o = _num(detail.get("observed_agreement"), 4) + " Po"
        d_e = _num(detail.get("expected_agreement"), 4) + " Pe"
    else:
        d_o = d_e = ""
    interval = f"[{_num(ci[0])}, {_num(ci[1])}]" if ci else ""
    return [key, _num(value), d_o, d_e, interval, used]


def _grid(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
            for r in rows]


def render_table(report: AgreementReport) -> str:
    """A terminal-readable table: each layer overall (with D_o, D_e, CI), then its pairs."""
    boot = report.method["bootstrap"]
    lines = [f"Agreement of {len(report.annotators)} annotators "
             f"({', '.join(report.annotators)}) on {report.articles} article(s).",
             f"95% intervals: percentile bootstrap over units, {boot['resamples']:,} resamples, "
             f"seed {boot['seed']}" + (" (pairs too)." if boot["pairs"] else " (overall only)."),
             f"Articles coded by two or more of them: {report.method['articles_shared']:,}; "
             f"by all: {report.method['articles_coded_by_all']:,}.", ""]
    if not report.method["articles_shared"]:
        lines[-1:-1] = ["Note: no article was coded by two of these annotators, so there is "
                        "nothing to compare: every figure below is undefined ('-')."]
    for name in LAYERS:
        layer = report.layers[name]
        lines.append(f"{_TITLES[name]}: {layer['units']:,} units")
        rows = [["measure", "value", "D_o", "D_e", "95% CI", "based on"]]
        for key in MEASURES[name]:
            rows.append(_detail_row(key, layer["overall"].get(key), layer["details"].get(key)))
        lines.extend(_grid(rows))
        if layer["pairs"]:
            head = ["pair", *(_SHORT[k] for k in MEASURES[name])]
            prow = [head] + [[f"{p['a']} / {p['b']}", *(_num(p.get(k)) for k in MEASURES[name])]
                             for p in layer["pairs"]]
            if len(layer["pairs"]) > 3:
                for label, pick in (("lowest pair", min), ("median pair", _median),
                                    ("highest pair", max)):
                    prow.append([label, *(_num(_over_pairs(layer["pairs"], k, pick))
                                          for k in MEASURES[name])])
            lines.append("")
            lines.extend(_grid(prow))
        lines.append("")
    if report.by_category:
        lines.append("Claims by category (category-specific nominal alpha: is c / is not c; "
                     "stance alpha on units whose modal category is c)")
        rows = [["category", "units", "alpha is-c", "modal units", "stance ord"]]
        rows += [[str(c["category"]), str(c["units"]), _num(c["alpha_nominal_is_category"]),
                  str(c["units_modal"]), _num(c["alpha_ordinal_stance"])]
                 for c in report.by_category]
        lines.extend(_grid(rows))
        lines.append("")
    if report.most_disagreed_articles:
        lines.append("Articles that disagree most (mean share of coder pairs disagreeing "
                     "per unit)")
        rows = [["article", "disagreement", "claims αu", "mentions αu", "title"]]
        rows += [[str(a["article"]), _num(a["disagreement"]), _num(a["claims_alpha_u"]),
                  _num(a["mentions_alpha_u"]), (a["title"] or "")[:50]]
                 for a in report.most_disagreed_articles]
        lines.extend(_grid(rows))
        lines.append("")
    if report.most_disagreed_units:
        lines.append("Units that disagree most")
        for u in report.most_disagreed_units[:10]:
            where = f"{u['start']}-{u['end']}" if u["start"] is not None else ""
            text = (u["text"] or "").replace("\n", " ")[:60]
            values = _unit_values(u["values"])
            lines.append(f"  {u['layer']:<17} art. {u['article']} {where} "
                         f"{_num(u['disagreement'], 2)}  {text!r}")
            lines.append(f"      {values}")
        lines.append("")
    lines.append("Legend")
    lines.extend(f"  - {text}" for text in report.method["legend"])
    return "\n".join(lines) + "\n"


CSV_COLUMNS = ("layer", "scope", "a", "b", "measure", "value", "observed_disagreement",
               "expected_disagreement", "ci_low", "ci_high", "units")


def render_csv(report: AgreementReport) -> str:
    """One row per layer × scope (overall or pair) × measure."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def row(layer: str, scope: str, a: str, b: str, key: str, value: Any,
            detail: dict[str, Any] | None) -> None:
        d = detail or {}
        ci = d.get("ci95") or (None, None)
        obs = d.get("observed_disagreement", d.get("observed_agreement"))
        exp = d.get("expected_disagreement", d.get("expected_agreement"))
        w.writerow([layer, scope, a, b, key, "" if value is None else value,
                    "" if obs is None else obs, "" if exp is None else exp,
                    "" if ci[0] is None else ci[0], "" if ci[1] is None else ci[1],
                    d.get("units", "")])

    for name in LAYERS:
        layer = report.layers[name]
        for key in MEASURES[name]:
            row(name, "overall", "", "", key, layer["overall"].get(key),
                layer["details"].get(key))
        for p in layer["pairs"]:
            for key in MEASURES[name]:
                if key in p:
                    row(name, "pair", p["a"], p["b"], key, p[key],
                        p.get("details", {}).get(key))
    return buf.getvalue()


def _is_agreement(head: bytes) -> bool:
    """An earlier ``stancemark agreement`` output (JSON, the table or the CSV)."""
    return head.startswith((b'{\n "annotators"', b"Agreement of ", b"layer,"))


def write_text(text: str, output: str | Path, *, force: bool = False) -> Path:
    """Write ``text`` to ``output`` atomically, under the export rules (--force replaces
    only an earlier agreement output, never another file, a link or a device)."""
    from stancemark.services.export_target import write_text_output

    return write_text_output(output, text, force=force, ours=_is_agreement)
