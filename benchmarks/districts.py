"""The district a benchmark runs on: the bundled sample, or one generated in memory."""

from __future__ import annotations

from pathlib import Path

from govopt.data.dataset import Dataset
from govopt.data.validate import load_dataset

__all__ = ["district"]

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "zhangqiu"


def district(grids: int | None) -> Dataset:
    """The bundled sample (``grids`` is ``None``) or ``generate(grids)``."""
    if grids is None:
        return load_dataset(SAMPLE)
    from govopt.data.sample import generate

    return generate(grids)
