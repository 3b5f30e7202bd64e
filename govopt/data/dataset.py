"""The in-memory form of a dataset folder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from govopt.data.scenario import Scenario

__all__ = ["Dataset"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A validated, typed dataset: every table of the folder contract.

    Tables follow :mod:`govopt.data.schema`: columns named and typed as there,
    optional tables present as empty frames with the schema's columns, and
    optional columns filled with their defaults. ``grids`` keeps the CRS it
    was read with; use :func:`govopt.analysis.geo.metric_crs` before any distance.

    Attributes
    ----------
    grids : geopandas.GeoDataFrame
        One row per grid, ``grid_id`` unique.
    centers, social_orgs, surveys, standards : pandas.DataFrame
        The other tables of the contract.
    work_order_counts : pandas.DataFrame
        Work orders per grid, category and year (``grid_id``, ``category``,
        ``year``, ``count``; see :mod:`govopt.data.orders`), counted while the
        raw log was read or read from ``work_order_counts.csv``. The raw rows
        are not kept.
    scenario : Scenario or None
        The folder's default ``scenario.toml``, if it has one.
    outline : geopandas.GeoDataFrame or None
        Optional district outline (``outline.geojson``) for the basemap.
    meta : Mapping[str, str]
        Optional ``about.toml`` entries: ``name``, ``name_zh``, ``synthetic``,
        ``source``.
    source : str
        Folder or archive the dataset came from.
    """

    grids: gpd.GeoDataFrame
    centers: pd.DataFrame
    standards: pd.DataFrame
    social_orgs: pd.DataFrame
    work_order_counts: pd.DataFrame
    surveys: pd.DataFrame
    scenario: Scenario | None = None
    outline: gpd.GeoDataFrame | None = None
    meta: Mapping[str, str] = field(default_factory=dict)
    source: str = ""

    @property
    def categories(self) -> tuple[str, ...]:
        """Service categories, in the order of ``standards.csv``."""
        return tuple(self.standards["category"].astype(str))

    @property
    def orders_total(self) -> int:
        """Number of work orders counted (of the dataset's grids)."""
        return int(self.work_order_counts["count"].sum())

    @property
    def name(self) -> str:
        """Display name of the dataset."""
        return str(self.meta.get("name") or self.source or "dataset")

    @property
    def synthetic(self) -> bool:
        """Whether the folder says its contents are synthetic."""
        return str(self.meta.get("synthetic", "")).lower() in {"1", "true", "yes"}

    @property
    def staff_today(self) -> np.ndarray:
        """Today's staff per center as in ``centers.csv``, whether it reaches a grid or not.

        The one definition of "today" for the overview, the baseline and a plan's ``staff0``.
        """
        return self.centers["staff"].to_numpy(float)

    @property
    def funds_today(self) -> np.ndarray:
        """Today's funds per center in CNY, as in ``centers.csv`` (see :attr:`staff_today`)."""
        return self.centers["funds_cny"].to_numpy(float)
