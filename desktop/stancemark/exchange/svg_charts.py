"""Charts as standalone SVG text: horizontal bars, stacked bars and a line over time.

One drawing for every place a chart appears: the HTML report embeds the SVG, the
command line writes it next to the CSV of the same numbers, and the window can
show it with Qt's SVG renderer. Pure text out; every label is escaped, fonts are
generic families so the file renders the same without network or installed fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from stancemark.analysis.statistics import Series, StackedSeries

FAMILY = "font-family='DejaVu Sans, Arial, sans-serif'"
FONT = f"{FAMILY} font-size='12'"
BAR = "#4e79a7"
#: Stance colours from very negative to very positive, then "no stance".
STACK_COLOURS = ("#c0392b", "#e6846f", "#bab0ac", "#7fb3d5", "#1f618d", "#dddddd")
WIDTH = 720


def _num(v: float) -> str:
    return f"{v:g}" if v != int(v) else f"{int(v)}"


def _clip(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _frame(height: int, title: str, body: list[str], note: str = "") -> str:
    head = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{height}' "
            f"viewBox='0 0 {WIDTH} {height}' role='img'>",
            f"<title>{escape(title)}</title>",
            f"<rect width='{WIDTH}' height='{height}' fill='white'/>",
            f"<text x='8' y='20' {FAMILY} font-size='15' font-weight='bold' "
            f"class='chart-title'>{escape(title)}</text>"]
    if note:
        head.append(f"<text x='{WIDTH - 8}' y='20' {FONT} fill='#666' text-anchor='end'>"
                    f"{escape(note)}</text>")
    return "\n".join([*head, *body, "</svg>"]) + "\n"


def _empty(title: str, note: str) -> str:
    return _frame(60, title, [f"<text x='8' y='45' {FONT} fill='#666'>"
                              f"{escape(note or 'nothing to show')}</text>"])


def bar_chart(series: Series) -> str:
    """Horizontal bars, one per label, with the value at the end of each bar."""
    if not series.labels:
        return _empty(series.title, series.note)
    left, top, row = 230, 34, 22
    span = WIDTH - left - 60
    most = max(series.values) or 1
    body = []
    for i, (label, value) in enumerate(zip(series.labels, series.values, strict=True)):
        y = top + i * row
        w = max(span * value / most, 1 if value else 0)
        body.append(f"<text x='{left - 6}' y='{y + 15}' {FONT} text-anchor='end'>"
                    f"{escape(_clip(label))}</text>")
        body.append(f"<rect x='{left}' y='{y + 3}' width='{w:.1f}' height='{row - 6}' "
                    f"fill='{BAR}'><title>{escape(label)}: {_num(value)}</title></rect>")
        body.append(f"<text x='{left + w + 4:.1f}' y='{y + 15}' {FONT}>{_num(value)}</text>")
    return _frame(top + len(series.labels) * row + 10, series.title, body, series.note)


def stacked_bars(series: StackedSeries, colours: Sequence[str] = STACK_COLOURS) -> str:
    """Horizontal bars split into stacks (e.g. by stance), with a legend."""
    if not series.labels:
        return _empty(series.title, series.note)
    left, top, row = 230, 54, 22
    span = WIDTH - left - 60
    most = max(sum(r) for r in series.values) or 1
    body = []
    x = left
    for j, name in enumerate(series.stacks):  # the legend
        colour = colours[j % len(colours)]
        body.append(f"<rect x='{x}' y='30' width='12' height='12' fill='{colour}'/>")
        body.append(f"<text x='{x + 16}' y='40' {FONT}>{escape(name)}</text>")
        x += 26 + 8 * len(name)
    for i, (label, stack) in enumerate(zip(series.labels, series.values, strict=True)):
        y = top + i * row
        body.append(f"<text x='{left - 6}' y='{y + 15}' {FONT} text-anchor='end'>"
                    f"{escape(_clip(label))}</text>")
        x0 = float(left)
        for j, value in enumerate(stack):
            if not value:
                continue
            w = span * value / most
            body.append(f"<rect x='{x0:.1f}' y='{y + 3}' width='{w:.1f}' height='{row - 6}' "
                        f"fill='{colours[j % len(colours)]}'><title>{escape(label)}, "
                        f"{escape(series.stacks[j])}: {_num(value)}</title></rect>")
            x0 += w
        body.append(f"<text x='{x0 + 4:.1f}' y='{y + 15}' {FONT}>{_num(sum(stack))}</text>")
    return _frame(top + len(series.labels) * row + 10, series.title, body, series.note)


def line_chart(series: Series) -> str:
    """Values over time (labels are periods, in order), with a zero line if it is in range."""
    if not series.labels:
        return _empty(series.title, series.note)
    left, right, top, bottom = 60, 20, 40, 50
    height = 300
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    lo, hi = series.bounds or (min(0.0, min(series.values)), max(0.0, max(series.values)))
    if hi == lo:
        hi = lo + 1
    n = len(series.values)

    def px(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h * (hi - v) / (hi - lo)

    body = [f"<line x1='{left}' y1='{py(0):.1f}' x2='{WIDTH - right}' y2='{py(0):.1f}' "
            "stroke='#999'/>",
            f"<text x='{left - 6}' y='{py(hi) + 4:.1f}' {FONT} text-anchor='end'>{_num(hi)}</text>",
            f"<text x='{left - 6}' y='{py(lo) + 4:.1f}' {FONT} text-anchor='end'>{_num(lo)}</text>"]
    points = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(series.values))
    body.append(f"<polyline points='{points}' fill='none' stroke='{BAR}' stroke-width='2'/>")
    step = max(1, n // 12)
    for i, (label, value) in enumerate(zip(series.labels, series.values, strict=True)):
        body.append(f"<circle cx='{px(i):.1f}' cy='{py(value):.1f}' r='3' fill='{BAR}'>"
                    f"<title>{escape(label)}: {_num(value)}</title></circle>")
        if i % step == 0 or i == n - 1:
            body.append(f"<text x='{px(i):.1f}' y='{height - bottom + 18}' {FONT} "
                        f"text-anchor='middle'>{escape(label)}</text>")
    body.append(f"<text x='{left}' y='{height - 8}' {FONT} fill='#666'>"
                f"{escape(series.unit)}</text>")
    return _frame(height, series.title, body, series.note)


__all__ = ["bar_chart", "line_chart", "stacked_bars"]
