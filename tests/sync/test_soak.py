"""A small soak of team sync on the test server (the full size is a benchmark)."""

from __future__ import annotations

import pytest

from tests.sync.soak import run_soak


@pytest.mark.slow
def test_coders_offline_and_killed_syncs_converge_with_nothing_lost(hub_url, tmp_path):
    result = run_soak(hub_url, tmp_path, coders=6, edits=120, rounds=4, kills=3)
    assert result.killed >= 1
    assert (result.lost, result.duplicated, result.extra) == (0, 0, 0), result
    assert result.hub_annotations > 300
    assert result.curator_annotations == result.hub_annotations
