"""Agreement end to end: the store read, the report's shape, refusals, and the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from stancemark.analysis.agreement import MEASURES, AgreementOptions
from stancemark.cli import main
from stancemark.core.errors import NotFoundError, ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.agreement import project_agreement, render
from stancemark.store import Store, open_project
from stancemark.store.agreement import read_coding

T1 = "Kurti said the talks would resume. Vucic answered that the bridge will open soon."
T2 = "The minister said that prices will fall. Unions disagreed with the minister."


def fill(store: Store) -> dict[str, int]:
    a1 = store.articles.add(ArticleDraft(text=T1, title="One"))
    a2 = store.articles.add(ArticleDraft(text=T2, title="Two"))
    store.articles.add(ArticleDraft(text="Nobody coded this one.", title="Three"))
    kurti = store.actors.add("Kurti", "person")
    vucic = store.actors.add("Vucic", "person")
    minister = store.actors.add("Minister", "person")
    ann = store.annotations
    for who, stance, tone in (("alice", 1, -1), ("bojan", 1, -1), ("chen", 0, 0)):
        ann.add_mention(a1, 0, 5, kurti, who)
        ann.add_claim(a1, 0, 34, who, claimant_id=kurti, category="politics", stance=stance)
        ann.set_sentiment(a1, None, who, tone)
        ann.set_sentiment(a1, kurti, who, 1)
    ann.add_mention(a1, 35, 40, vucic, "alice")
    ann.add_mention(a1, 35, 40, kurti, "bojan")
    ann.add_claim(a1, 35, 80, "alice", claimant_id=vucic, category="diplomacy", stance=-1)
    ann.add_claim(a1, 35, 70, "bojan", claimant_id=vucic, category="politics", stance=-2,
                  target_id=kurti)
    ann.add_claim(a2, 0, 40, "alice", claimant_id=minister, category="economy", stance=0)
    ann.add_claim(a2, 0, 40, "bojan", claimant_id=minister, category="economy", stance=1)
    ann.set_sentiment(a2, None, "chen", 1)
    store.annotator_id("dora")  # known, never annotated
    return {"a1": a1, "a2": a2}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "agree.stancemark"
    with open_project(path, create=True) as store:
        fill(store)
    return path


def test_read_coding_returns_plain_data(store: Store) -> None:
    ids = fill(store)
    data = read_coding(store, ["alice", "chen"])
    assert sorted(data.articles) == [ids["a1"], ids["a2"]]
    assert data.coded[ids["a2"]] == {"alice", "chen"}
    assert {m.annotator for m in data.mentions} == {"alice", "chen"}
    assert len(data.claims) == 4 and data.articles[ids["a1"]].length == len(T1)
    assert data.actor_names and "Kurti" in data.actor_names.values()
    only = read_coding(store, ["alice", "bojan"], [ids["a2"]])
    assert list(only.articles) == [ids["a2"]] and len(only.claims) == 2


def test_report_shape_and_values(store: Store) -> None:
    fill(store)
    report = project_agreement(store, options=AgreementOptions(resamples=200))
    d = json.loads(render(report, "json"))
    assert d["annotators"] == ["alice", "bojan", "chen"] and d["articles"] == 2
    assert list(d["layers"]) == ["mentions", "claims", "article_sentiment", "actor_sentiment"]
    for name, layer in d["layers"].items():
        assert isinstance(layer["units"], int)
        assert list(layer["overall"]) == list(MEASURES[name])
        assert len(layer["pairs"]) == 3
        for pair in layer["pairs"]:
            assert {"a", "b", *MEASURES[name]} <= set(pair)
    claims = d["layers"]["claims"]
    assert claims["units"] == 3
    ab = next(p for p in claims["pairs"] if (p["a"], p["b"]) == ("alice", "bojan"))
    assert ab["f1_exact"] == pytest.approx(2 * 2 / 6)  # 0-34 and 0-40 (article 2) are exact
    assert ab["f1_exact"] != ab["f1_overlap"] == pytest.approx(1.0)
    assert ab["alpha_nominal_claimant"] == pytest.approx(1.0)
    # no variation at all: undefined, not a crash
    assert d["layers"]["actor_sentiment"]["overall"]["alpha_ordinal"] is None
    details = claims["details"]["alpha_ordinal_stance"]
    assert {"observed_disagreement", "expected_disagreement", "ci95",
            "resamples_defined"} <= set(details)
    assert d["method"]["bootstrap"]["resamples"] == 200
    assert d["most_disagreed_units"] and d["by_category"] and len(d["by_article"]) == 2


def test_refusals(store: Store) -> None:
    ids = fill(store)
    with pytest.raises(NotFoundError, match="eve"):
        project_agreement(store, ["alice", "eve"])
    with pytest.raises(ValidationError, match="at least two"):
        project_agreement(store, ["alice"])
    with pytest.raises(ValidationError, match="Fewer than two"):
        project_agreement(store, ["alice", "dora"])
    with pytest.raises(NotFoundError, match="999"):
        project_agreement(store, None, [ids["a1"], 999])
    with pytest.raises(ValidationError, match="Fewer than two"):
        project_agreement(store, ["alice", "chen"], [3])  # nobody coded article 3


def test_empty_project_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError):
        project_agreement(store)


def test_two_annotators_with_nothing_in_common_give_nulls(store: Store) -> None:
    a1 = store.articles.add(ArticleDraft(text=T1))
    a2 = store.articles.add(ArticleDraft(text=T2))
    kurti = store.actors.add("Kurti", "person")
    store.annotations.add_mention(a1, 0, 5, kurti, "alice")
    store.annotations.add_mention(a2, 0, 3, kurti, "bojan")
    d = project_agreement(store, options=AgreementOptions(resamples=0)).as_dict()
    pair = d["layers"]["mentions"]["pairs"][0]
    assert pair["articles"] == 0 and pair["alpha_u"] is None and pair["f1_exact"] is None
    assert d["layers"]["claims"]["overall"]["alpha_nominal_category"] is None
    assert d["layers"]["mentions"]["details"]["alpha_u"]["articles_left_out"] == 2
    assert d["method"]["articles_shared"] == 0


# -- command line ------------------------------------------------------------------------------


def test_cli_json(project: Path, capsys) -> None:
    assert main(["agreement", str(project), "--format", "json", "--resamples", "50"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert {"annotators", "articles", "layers"} <= set(d)
    assert set(d["layers"]["mentions"]["overall"]) == set(MEASURES["mentions"])


def test_cli_table_and_csv(project: Path, capsys) -> None:
    assert main(["agreement", str(project), "--annotators", "alice,bojan"]) == 0
    out = capsys.readouterr().out
    assert "Claims (unit: span)" in out and "alice / bojan" in out and "Legend" in out
    assert "1,000 resamples" in out
    assert main(["agreement", str(project), "-f", "csv", "--resamples", "0"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["layer"] for r in rows} == {"mentions", "claims", "article_sentiment",
                                          "actor_sentiment"}
    assert any(r["scope"] == "pair" and r["measure"] == "kappa" for r in rows)


def test_cli_output_refuses_an_existing_file_unless_forced(project: Path, tmp_path: Path,
                                                           capsys) -> None:
    out = tmp_path / "agreement.json"
    out.write_text("keep me")
    assert main(["agreement", str(project), "-f", "json", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert out.read_text() == "keep me" and "already exists" in err
    assert len(err.strip().splitlines()) == 1
    # --force replaces only an earlier agreement output, never somebody's file
    assert main(["agreement", str(project), "-f", "json", "-o", str(out), "--force"]) == 1
    assert out.read_text() == "keep me" and "never replaced" in capsys.readouterr().err
    out.unlink()
    assert main(["agreement", str(project), "-f", "json", "-o", str(out),
                 "--resamples", "0"]) == 0
    assert main(["agreement", str(project), "-f", "json", "-o", str(out), "--force",
                 "--resamples", "0"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["articles"] == 2
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("agree.stancemark"))
    assert left == ["agreement.json"]  # no temporary file left behind


@pytest.mark.parametrize(("args", "message"), [
    (["--annotators", "alice,eve"], "Unknown annotator(s): eve."),
    (["--annotators", "alice"], "at least two"),
    (["--articles", "1,999"], "No article with id 999"),
])
def test_cli_errors_are_one_line(project: Path, capsys, args, message) -> None:
    assert main(["agreement", str(project), *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and err[0].startswith("Stancemark: error:")


def test_cli_bad_articles_argument(project: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["agreement", str(project), "--articles", "one,two"])
    assert exc.value.code == 2
    assert "--articles takes article ids" in capsys.readouterr().err


def test_agreement_runs_without_numpy_and_krippendorff(project: Path) -> None:
    # the one-file build bundles neither: they are test-only, to check our figures
    import subprocess
    import sys

    code = ("import sys; sys.modules['numpy'] = sys.modules['krippendorff'] = None\n"
            "from stancemark.cli import main\n"
            "raise SystemExit(main(['agreement', sys.argv[1], '--format', 'json']))\n")
    out = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0, out.stderr
    claims = json.loads(out.stdout)["layers"]["claims"]
    with open_project(project, read_only=True) as store:
        here = project_agreement(store).as_dict()["layers"]["claims"]
    assert claims["overall"] == here["overall"]
    assert claims["details"]["alpha_ordinal_stance"]["ci95"] is not None


def test_report_alphas_equal_the_package_on_the_matched_units(store: Store) -> None:
    import krippendorff
    import numpy as np

    fill(store)
    d = project_agreement(store, options=AgreementOptions(resamples=0)).as_dict()
    nan = np.nan
    # the three claim units: a1 0-34 (all three), a1 35-… (alice, bojan), a2 0-40 (alice, bojan)
    stance = np.array([[1, -1, 0], [1, -2, 1], [0, nan, nan]])
    category = np.array([[0, 1, 2], [0, 0, 2], [0, nan, nan]])  # politics, diplomacy, economy
    overall = d["layers"]["claims"]["overall"]
    for level in ("ordinal", "interval"):
        assert overall[f"alpha_{level}_stance"] == pytest.approx(
            krippendorff.alpha(reliability_data=stance, level_of_measurement=level), abs=1e-9)
    assert overall["alpha_nominal_category"] == pytest.approx(
        krippendorff.alpha(reliability_data=category, level_of_measurement="nominal"), abs=1e-9)
    tone = np.array([[-1, nan], [-1, nan], [0, 1]])  # article sentiment: a1, a2
    assert d["layers"]["article_sentiment"]["overall"]["alpha_interval"] == pytest.approx(
        krippendorff.alpha(reliability_data=tone, level_of_measurement="interval"), abs=1e-9)


def test_units_for_adjudication_carry_each_coders_annotation(store: Store) -> None:
    from stancemark.core.models import Claim
    from stancemark.services.agreement import project_units

    fill(store)
    units = project_units(store, ["alice", "bojan"])
    claims = units["claims"]
    assert len(claims) == 3
    second = claims[1]
    assert set(second.refs) == {"alice", "bojan"}
    assert all(isinstance(c, Claim) for c in second.refs.values())
    assert second.values["alice"][0] == "diplomacy" and second.values["bojan"][0] == "politics"
    assert second.values["alice"][2] == "(no target)"
    assert len(units["article_sentiment"]) == 1  # chen's article-2 sentiment is not in


def test_cancel_stops_between_pairs(store: Store) -> None:
    from stancemark.core.errors import Cancelled
    from stancemark.core.progress import CancelFlag

    fill(store)
    flag = CancelFlag()
    seen = []

    def progress(event) -> None:
        seen.append(event.done)
        flag.cancel()

    with pytest.raises(Cancelled):
        project_agreement(store, options=AgreementOptions(resamples=0), progress=progress,
                          cancel=flag)
    assert seen == [1]


def test_table_sums_up_many_pairs(store: Store) -> None:
    fill(store)
    for who in ("dora", "emil"):
        store.annotations.add_claim(1, 0, 34, who, category="politics", stance=1)
    text = render(project_agreement(store, options=AgreementOptions(resamples=0)), "table")
    assert "median pair" in text and "lowest pair" in text and "highest pair" in text


def test_without_breakdowns_the_overall_and_pair_figures_are_the_same(store: Store) -> None:
    fill(store)
    whole = project_agreement(store, options=AgreementOptions(resamples=0)).as_dict()
    quick = project_agreement(store, options=AgreementOptions(resamples=0,
                                                              breakdowns=False)).as_dict()
    for layer, body in whole["layers"].items():
        assert quick["layers"][layer]["overall"] == body["overall"]
        assert quick["layers"][layer]["pairs"] == body["pairs"]
    assert whole["by_category"] and whole["by_article"]  # what the report leaves out
    assert quick["by_category"] == quick["by_article"] == quick["most_disagreed_units"] == []
