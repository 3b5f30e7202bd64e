"""Hours per service entry: positions of links and entries, found by search or by hashing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govopt.optimize.service import positions


@pytest.mark.parametrize("seed", range(20))
def test_positions_are_those_of_a_pandas_index(seed: int) -> None:
    rng = np.random.default_rng(seed)
    keys = rng.choice(10_000, int(rng.integers(0, 300)), replace=False).astype(np.int64)
    if seed % 2:
        keys = np.sort(keys)  # sorted keys are searched, others hashed
    queries = rng.integers(-5, 10_005, 500)
    want = pd.Index(keys).get_indexer(pd.Index(queries))
    got = positions(keys, queries)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, want)
    if len(keys):
        assert (got >= 0).any() and (got == -1).any()
    ordered = np.sort(queries)
    np.testing.assert_array_equal(positions(keys, ordered), pd.Index(keys).get_indexer(ordered))


def test_positions_of_no_query_or_no_key() -> None:
    assert len(positions(np.arange(3), np.zeros(0, dtype=np.int64))) == 0
    np.testing.assert_array_equal(positions(np.zeros(0, dtype=np.int64), np.arange(2)), [-1, -1])
