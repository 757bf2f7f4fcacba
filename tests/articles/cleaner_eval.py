"""Scoring the scraped-text cleaner on the evaluation set in ``fixtures/scraped_eval``.

Content kept: the share of the gold content characters (title, lede, body) that
the cleaned text still has. Chrome left: the share of chrome characters it still
has. Metadata lines (dateline, byline) count for neither. A cleaned text is the
page's lines with some dropped, in order, so its lines are matched to the page's
lines as a subsequence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

EVAL = Path(__file__).parent / "fixtures" / "scraped_eval"
LABELS = ("content", "meta", "chrome")


@dataclass(slots=True)
class Page:
    split: str
    site: str
    language: str
    path: Path
    raw: str
    labels: list[tuple[str, str]]  # (label, line) per non-blank line of raw


@dataclass(slots=True)
class Score:
    content_total: int = 0
    content_kept: int = 0
    chrome_total: int = 0
    chrome_kept: int = 0
    pages: int = 0
    worst: list[tuple[float, str]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.content_total += other.content_total
        self.content_kept += other.content_kept
        self.chrome_total += other.chrome_total
        self.chrome_kept += other.chrome_kept
        self.pages += other.pages
        self.worst.extend(other.worst)

    @property
    def content(self) -> float:
        return self.content_kept / self.content_total if self.content_total else 1.0

    @property
    def chrome(self) -> float:
        return self.chrome_kept / self.chrome_total if self.chrome_total else 0.0


def splits() -> list[str]:
    """The splits named in ``sites.tsv`` ("dev", "heldout", ...), in the order they first appear."""
    rows = (EVAL / "sites.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return list(dict.fromkeys(row.split("\t")[0] for row in rows))


def load(split: str | None = None) -> list[Page]:
    """The pages of ``split`` ("dev", "heldout", ...) or of all splits, site by site."""
    pages = []
    rows = (EVAL / "sites.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for row in rows:
        part, site, language, _count = row.split("\t")
        if split is not None and part != split:
            continue
        for path in sorted((EVAL / part / site).glob("*.txt")):
            raw = path.read_text(encoding="utf-8")
            labels = []
            for line in path.with_suffix(".gold").read_text(encoding="utf-8").splitlines():
                label, _, text = line.partition("\t")
                assert label in LABELS, f"{path.with_suffix('.gold')}: bad label {label!r}"
                labels.append((label, text))
            lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
            assert lines == [t for _l, t in labels], f"{path}: gold does not match the page"
            pages.append(Page(part, site, language, path, raw, labels))
    return pages


def score(page: Page, cleaned: str) -> Score:
    """Match the cleaned text's lines to the page's lines in order and count characters."""
    out = [ln.strip() for ln in cleaned.splitlines() if ln.strip()]
    s = Score(pages=1)
    k = 0
    for label, line in page.labels:
        kept = k < len(out) and out[k] == line
        if kept:
            k += 1
        if label == "content":
            s.content_total += len(line)
            s.content_kept += len(line) if kept else 0
        elif label == "chrome":
            s.chrome_total += len(line)
            s.chrome_kept += len(line) if kept else 0
    assert k == len(out), f"{page.path}: cleaned line not in the page: {out[k]!r}"
    lost = 1 - (s.content_kept / s.content_total if s.content_total else 1)
    s.worst.append((lost, f"{page.split}/{page.site}/{page.path.name}"))
    return s


def single(pages: Iterable[Page]) -> list[str]:
    """Each page cleaned on its own, as ``stancemark import`` reads one text file."""
    from stancemark.articles import read_bytes

    return [read_bytes(p.raw.encode("utf-8"), name=p.path.name).text for p in pages]


def batch(pages: list[Page]) -> list[str]:
    """The pages cleaned as one import batch: each site's pages are one source (its folder)."""
    from stancemark.articles import read_bytes
    from stancemark.articles.repeats import RepeatedLines

    drafts = [read_bytes(p.raw.encode("utf-8"), name=p.path.name) for p in pages]
    learner = RepeatedLines()
    keys = [f"{p.split}/{p.site}" for p in pages]
    return [d.text for d in learner.clean(list(zip(keys, drafts, strict=True)))]


def raw(pages: Iterable[Page]) -> list[str]:
    return [p.raw for p in pages]


def evaluate(pages: list[Page], mode: Callable[[list[Page]], list[str]]
             ) -> dict[str, Score]:
    """Scores per language and ``"all"`` for the pages cleaned by ``mode``."""
    texts = mode(pages)
    result: dict[str, Score] = {"all": Score()}
    for page, text in zip(pages, texts, strict=True):
        s = score(page, text)
        result.setdefault(page.language, Score()).add(s)
        result["all"].add(s)
    return result
