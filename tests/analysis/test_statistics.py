"""The numbers behind the charts, from counts as the store aggregates them."""

from __future__ import annotations

from stancemark.analysis import statistics as st


def test_ranking_keeps_the_top_and_sums_the_rest() -> None:
    counts = {f"x{i}": i for i in range(1, 21)}
    s = st.ranking("t", counts, top=3)
    assert s.labels == ["x20", "x19", "x18", "other (17)"]
    assert s.values == [20, 19, 18, sum(range(1, 18))]
    assert "17 more" in s.note


def test_claims_per_actor_names_and_merges_the_unknown() -> None:
    s = st.claims_per_actor({1: 3, 2: 1, None: 2}, {1: "Kurti", 2: "Vučić"})
    assert list(zip(s.labels, s.values, strict=True)) == [
        ("Kurti", 3), ("(no claimant)", 2), ("Vučić", 1)]


def test_claims_per_month_shows_empty_months_and_crosses_years() -> None:
    rows = [("A", "2022-11", 1), ("B", "2023-02", 2), ("A", None, 5), ("A", "20xx", 1)]
    s = st.claims_per_month(rows)
    assert s.labels == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert s.values == [1, 0, 0, 2]
    assert st.claims_per_month([("A", None, 3)]).labels == []
    outlets = st.claims_per_outlet(rows + [(None, None, 1)])
    assert dict(zip(outlets.labels, outlets.values, strict=True)) == {
        "A": 7, "B": 2, "(no source)": 1}


def test_stance_by_category_counts_every_stance_and_none() -> None:
    rows = [("e", 2, 1), ("e", None, 1), ("d", -1, 1), (None, 0, 1)]
    s = st.stance_by_category(rows, {"e": "Economy", "d": "Diplomacy"}, [-2, -1, 0, 1, 2])
    assert s.stacks == ["-2", "-1", "0", "+1", "+2", "no stance"]
    by = dict(zip(s.labels, s.values, strict=True))
    assert by["Economy"] == [0, 0, 0, 0, 1, 1]
    assert by["Diplomacy"] == [0, 1, 0, 0, 0, 0]
    assert by["(no category)"] == [0, 0, 1, 0, 0, 0]


def test_mean_over_time_leaves_months_without_values_out() -> None:
    s = st.mean_over_time("t", [("2023-01", 1, 2), ("2023-03", 1, 1), (None, 2, 1)])
    assert s.labels == ["2023-01", "2023-03"] and s.values == [0.5, 1]
