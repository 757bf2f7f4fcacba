"""The numbers behind the charts, on hand-made rows."""

from __future__ import annotations

from stancemark.analysis import statistics as st


def fact(claimant=None, category=None, stance=None, source=None, month=None, coder="a"):
    return st.ClaimFact(claimant, category, stance, source, month, coder)


def test_ranking_keeps_the_top_and_sums_the_rest() -> None:
    counts = {f"x{i}": i for i in range(1, 21)}
    s = st.ranking("t", counts, top=3)
    assert s.labels == ["x20", "x19", "x18", "other (17)"]
    assert s.values == [20, 19, 18, sum(range(1, 18))]
    assert "17 more" in s.note


def test_claims_per_month_shows_empty_months_and_crosses_years() -> None:
    claims = [fact(month="2022-11"), fact(month="2023-02"), fact(month="2023-02"), fact()]
    s = st.claims_per_month(claims)
    assert s.labels == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert s.values == [1, 0, 0, 2]
    assert st.claims_per_month([fact()]).labels == []


def test_stance_by_category_counts_every_stance_and_none() -> None:
    claims = [fact(category="e", stance=2), fact(category="e", stance=None),
              fact(category="d", stance=-1), fact(stance=0)]
    s = st.stance_by_category(claims, {"e": "Economy", "d": "Diplomacy"}, [-2, -1, 0, 1, 2])
    assert s.stacks == ["-2", "-1", "0", "+1", "+2", "no stance"]
    rows = dict(zip(s.labels, s.values, strict=True))
    assert rows["Economy"] == [0, 0, 0, 0, 1, 1]
    assert rows["Diplomacy"] == [0, 1, 0, 0, 0, 0]
    assert rows["(no category)"] == [0, 0, 1, 0, 0, 0]


def test_mean_over_time_leaves_months_without_values_out() -> None:
    s = st.mean_over_time("t", [("2023-01", 2), ("2023-01", -1), ("2023-03", 1), (None, 2)])
    assert s.labels == ["2023-01", "2023-03"] and s.values == [0.5, 1]
