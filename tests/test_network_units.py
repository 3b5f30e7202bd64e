"""Integer costs found on the distinct cost values: the same as on every arc."""

from __future__ import annotations

import numpy as np
import pytest

from govopt.optimize.network import MAX_COST_SCALE, integer_costs


def _every_arc(real: np.ndarray, max_scale: int = MAX_COST_SCALE) -> tuple[np.ndarray, float]:
    """The scale checked on every arc's cost, zeros included."""
    top = float(np.abs(real).max())
    scale = 1
    while scale < max_scale and top * scale * 10 < 2**52:
        scaled = real * scale
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, np.abs(scaled))):
            break
        scale *= 10
    ints = np.round(real * scale).astype(np.int64)
    g = int(np.gcd.reduce(np.abs(ints[ints != 0])))
    return ints // g, scale / g


@pytest.mark.parametrize("seed", range(30))
def test_random_costs_match_the_check_on_every_arc(seed: int) -> None:
    rng = np.random.default_rng(seed)
    places = int(rng.integers(0, 11))
    values = np.round(rng.uniform(-500, 500, int(rng.integers(1, 6))), places)
    real = rng.choice(np.concatenate([values, [0.0]]), int(rng.integers(1, 5000)))
    if not np.any(real):
        real[0] = values[0] or 1.0
    got, scale = integer_costs(real)
    want, want_scale = _every_arc(real)
    np.testing.assert_array_equal(got, want)
    assert scale == want_scale
    np.testing.assert_allclose(got / scale, real, rtol=1e-9, atol=1e-9 if places < 10 else 1e-8)


@pytest.mark.parametrize("seed", range(10))
def test_present_values_are_those_of_unique(seed: int) -> None:
    from govopt.optimize.network import _present

    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 500))
    values = rng.integers(0, size, int(rng.integers(0, 2000)))
    got, where = _present(values, size)
    want, inverse = np.unique(values, return_inverse=True)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(where, inverse)
