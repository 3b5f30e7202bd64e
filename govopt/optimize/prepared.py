"""A dataset prepared for solving: demand, links, model inputs and today's plan, made once.

Every what-if on a dataset needs the same demand, the same links and
organization paths for its radius and the same baseline (today's staff and
funds) for its radius and standards. :class:`Prepared` computes each of them
on first use and keeps it, so :func:`govopt.optimize.solve`, its marginal
re-solves and a sweep of scenarios pay for them once. Radius variants and
baselines are kept in small LRUs, so memory stays bounded however many radii
a planner tries. Values are shared, never copied: arrays are read-only and
the model inputs frozen.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields
from typing import Generic, TypeVar

import numpy as np
import pandas as pd
import shapely

from govopt.analysis.demand import demand_hours, order_counts
from govopt.analysis.geo import Links, build_links
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues
from govopt.optimize.inputs import ModelInputs, model_inputs, with_norms
from govopt.plan import Plan, Status

__all__ = [
    "BASELINES_KEPT",
    "RADII_KEPT",
    "Baseline",
    "Prepared",
    "baseline_scenario",
    "content_hash",
]

RADII_KEPT = 4
BASELINES_KEPT = 8

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Lru(Generic[K, V]):
    """At most ``size`` values, the least recently used dropped first; thread-safe.

    :meth:`get_or_make` makes a missing value once, however many threads ask
    for it at the same time.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"an LRU keeps at least one value, not {size}")
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[K, threading.Lock] = {}

    def get(self, key: K) -> V | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_make(self, key: K, make: Callable[[], V], keep: Callable[[V], bool]) -> V:
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            found = self.get(key)
            if found is None:
                found = make()
                if keep(found):
                    self.put(key, found)
        with self._lock:
            self._making.pop(key, None)
        return found

    def keys(self) -> tuple[K, ...]:
        with self._lock:
            return tuple(self._items)


def baseline_scenario(scenario: Scenario) -> Scenario:
    """Only the settings the baseline depends on (radius, work hours, hourly cost, solver,
    time limit): two scenarios with the same baseline give equal results here."""
    return Scenario(
        name="baseline",
        radius_m=scenario.radius_m,
        work_hours_per_staff=scenario.work_hours_per_staff,
        cost_per_hour_cny=scenario.cost_per_hour_cny,
        solver=scenario.solver,
        time_limit_s=scenario.time_limit_s,
    )


@dataclass(frozen=True, eq=False)
class Baseline:
    """Today's plan under one radius and standards.

    Attributes
    ----------
    status : Status
        The baseline solve's status.
    x : ndarray
        Service hours per row of the inputs' ``x_center, x_grid, x_cat``
        (read-only; meaningful only when ``status`` is optimal).
    make_plan : callable
        ``make_plan(scenario)``: the baseline as a plan of ``scenario``.
    """

    status: Status
    x: np.ndarray
    make_plan: Callable[[Scenario], Plan] = field(repr=False)
    _plans: _Lru[str, Plan] = field(default_factory=lambda: _Lru(2), repr=False)

    def plan(self, scenario: Scenario) -> Plan:
        """The baseline as a plan of ``scenario`` (built once per scenario, no solve):
        its settings and KPIs, e.g. the grids below its coverage target."""
        return self._plans.get_or_make(
            scenario.to_json(), lambda: self.make_plan(scenario), lambda _: True
        )


def _frame_hash(h: hashlib._Hash, name: str, frame: pd.DataFrame) -> None:
    h.update(f"{name}|{len(frame)}|{'|'.join(map(str, frame.columns))}".encode())
    if len(frame) and len(frame.columns):
        h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())


def content_hash(dataset: Dataset, counts: pd.DataFrame | None = None) -> str:
    """A key of everything a solve reads from ``dataset``.

    Grids (attributes, geometry, CRS), centers, standards, social
    organizations, and the work orders as counted per grid and category
    (``counts``, :func:`govopt.analysis.demand.order_counts` of ``dataset``,
    computed when absent): two datasets with the same key give the same plans.
    """
    grids = dataset.grids
    h = hashlib.sha1(b"govopt-dataset-1")
    _frame_hash(h, "grids", pd.DataFrame(grids.drop(columns=grids.geometry.name)))
    h.update(str(grids.crs.to_wkt() if grids.crs is not None else "").encode())
    wkb = shapely.to_wkb(np.asarray(grids.geometry.values))
    h.update(np.array([len(w) for w in wkb], dtype=np.int64).tobytes())
    h.update(b"".join(wkb))
    for name in ("centers", "standards", "social_orgs"):
        _frame_hash(h, name, getattr(dataset, name))
    _frame_hash(h, "order_counts", order_counts(dataset) if counts is None else counts)
    return h.hexdigest()[:20]


def _read_only(inputs: ModelInputs) -> ModelInputs:
    for f in fields(inputs):
        value = getattr(inputs, f.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    for array in (inputs.links.grid_xy, inputs.links.center_xy, inputs.links.org_xy):
        array.flags.writeable = False
    return inputs


class Prepared:
    """``dataset`` prepared for solving, shared by every solve of it (thread-safe).

    Order counts, demand and :attr:`key` are computed on first use and kept;
    links and model inputs for the last ``radii`` radii used; baselines for the
    last ``baselines`` (radius, standards) pairs. Pass the object to
    :func:`govopt.optimize.solve` and :func:`govopt.optimize.baseline` as
    ``prepared=``; it belongs to this one dataset object.

    Parameters
    ----------
    dataset : Dataset
        The district.
    radii, baselines : int
        How many radius variants and baselines to keep (at least 1).
    """

    def __init__(
        self, dataset: Dataset, *, radii: int = RADII_KEPT, baselines: int = BASELINES_KEPT
    ) -> None:
        self.dataset = dataset
        self._lock = threading.Lock()
        self._counts: pd.DataFrame | None = None
        self._demand: pd.DataFrame | None = None
        self._key: str | None = None
        self._variants: _Lru[LevelValues, ModelInputs] = _Lru(radii)
        self._baselines: _Lru[str, Baseline] = _Lru(baselines)

    @property
    def order_counts(self) -> pd.DataFrame:
        """Work orders per grid and category (:func:`govopt.analysis.demand.order_counts`)."""
        with self._lock:
            if self._counts is None:
                self._counts = order_counts(self.dataset)
            return self._counts

    @property
    def demand(self) -> pd.DataFrame:
        """Demand hours per grid and category (:func:`govopt.analysis.demand.demand_hours`)."""
        counts = self.order_counts
        with self._lock:
            if self._demand is None:
                self._demand = demand_hours(self.dataset, orders=counts)
            return self._demand

    @property
    def key(self) -> str:
        """:func:`content_hash` of the dataset."""
        counts = self.order_counts
        with self._lock:
            if self._key is None:
                self._key = content_hash(self.dataset, counts)
            return self._key

    @property
    def radii(self) -> tuple[LevelValues, ...]:
        """The radii whose links and inputs are kept, least recently used first."""
        return self._variants.keys()

    @property
    def baselines_kept(self) -> int:
        """How many baselines are kept."""
        return len(self._baselines.keys())

    def _variant(self, scenario: Scenario) -> ModelInputs:
        def make() -> ModelInputs:
            demand = self.demand
            links = build_links(self.dataset, scenario.radius_m)
            return _read_only(model_inputs(self.dataset, scenario, demand=demand, links=links))

        return self._variants.get_or_make(scenario.radius_m, make, lambda _: True)

    def links(self, radius_m: LevelValues) -> Links:
        """Coordinates and links under ``radius_m`` (:func:`govopt.analysis.geo.build_links`)."""
        return self._variant(Scenario(radius_m=radius_m)).links

    def inputs(self, scenario: Scenario) -> ModelInputs:
        """:func:`govopt.optimize.inputs.model_inputs` for ``scenario``.

        Built once per radius; the floors of ``scenario`` are set on a copy.
        """
        return with_norms(self._variant(scenario), self.dataset, scenario)

    def baseline(self, scenario: Scenario) -> Baseline | None:
        """The baseline kept for :func:`baseline_scenario` of ``scenario``, if any."""
        return self._baselines.get(baseline_scenario(scenario).to_json())

    def remember(self, scenario: Scenario, baseline: Baseline) -> None:
        """Keep ``baseline`` for :func:`baseline_scenario` of ``scenario`` (not if cancelled)."""
        if baseline.status is not Status.CANCELLED:
            baseline.x.flags.writeable = False
            self._baselines.put(baseline_scenario(scenario).to_json(), baseline)

    def baseline_or(self, scenario: Scenario, make: Callable[[], Baseline]) -> Baseline:
        """The kept baseline of ``scenario``, else ``make()`` (once, however many threads
        ask at the same time), kept unless it was cancelled."""

        def made() -> Baseline:
            found = make()
            found.x.flags.writeable = False
            return found

        return self._baselines.get_or_make(
            baseline_scenario(scenario).to_json(), made, lambda b: b.status is not Status.CANCELLED
        )
