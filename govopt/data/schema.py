"""Every input table of a dataset folder, described as data.

The schema drives validation (:mod:`govopt.data.validate`), the empty templates a
planner can download, and the data dictionary in ``docs/data-dictionary.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BOUNDS",
    "CATEGORIES",
    "DEFAULT_MIN_STAFF",
    "DEFAULT_RADIUS_M",
    "LEVELS",
    "MAX_FUNDS_CNY",
    "MAX_HOURS_PER_UNIT",
    "MAX_ORDERS",
    "MAX_ORG_HOURS",
    "MAX_PERSONS",
    "MAX_PRIORITY",
    "MAX_REACH_M",
    "MAX_STAFF",
    "NO_MIN_FUNDS",
    "RATINGS",
    "RATING_QUALITY",
    "TABLES",
    "URBAN_RURAL",
    "Column",
    "Dtype",
    "LevelValues",
    "Table",
    "table",
]

Dtype = Literal["str", "int", "float", "datetime", "geometry"]

LEVELS: tuple[str, ...] = ("street", "community", "grid")
URBAN_RURAL: tuple[str, ...] = ("urban", "rural")
RATINGS: tuple[str, ...] = ("5A", "4A", "3A", "2A", "1A", "none")
RATING_QUALITY: dict[str, float] = {
    "5A": 1.0,
    "4A": 0.9,
    "3A": 0.8,
    "2A": 0.7,
    "1A": 0.6,
    "none": 0.5,
}
CATEGORIES: tuple[str, ...] = (
    "elderly_care",
    "disputes_mediation",
    "sanitation_environment",
    "safety_security",
    "social_assistance",
    "culture_education",
)


@dataclass(frozen=True)
class LevelValues:
    """One number per center level."""

    street: float
    community: float
    grid: float

    def __getitem__(self, level: str) -> float:
        if level not in ("street", "community", "grid"):
            raise KeyError(level)
        return float(getattr(self, level))

    def as_dict(self) -> dict[str, float]:
        """Return ``{"street": ..., "community": ..., "grid": ...}``."""
        return {"street": self.street, "community": self.community, "grid": self.grid}


DEFAULT_RADIUS_M = LevelValues(3000, 1000, 500)
DEFAULT_MIN_STAFF = LevelValues(4, 1, 0)
NO_MIN_FUNDS = LevelValues(0, 0, 0)

# Upper bounds: far above any real district, low enough that no count wraps
# around in 64-bit integers and no sum overflows in the solver.
MAX_PERSONS = 1_000_000
MAX_PRIORITY = 1_000.0
MAX_STAFF = 10_000.0
MAX_FUNDS_CNY = 1e10
MAX_ORG_HOURS = 1e7
MAX_REACH_M = 100_000.0
MAX_HOURS_PER_UNIT = 10_000.0
MAX_ORDERS = 1_000_000

BOUNDS: tuple[tuple[str, float, str, str], ...] = (
    (
        "households, residents, elderly, party members, key families, respondents",
        MAX_PERSONS,
        "per grid (or survey); a grid has about 1,000 residents and the largest Chinese "
        "street about 300,000. Also elderly <= residents.",
        "每个网格（或每次调查）；一个网格约1000人，最大的街道约30万人。另须老年人口不超过常住人口。",
    ),
    (
        "priority",
        MAX_PRIORITY,
        "a weight; 1.0 is normal, a few times that is already strong.",
        "权重；1.0为一般，数倍已属很高。",
    ),
    (
        "staff, max_staff",
        MAX_STAFF,
        "per center; the largest street center has a few hundred staff.",
        "每个中心；最大的街道中心也只有数百人。",
    ),
    (
        "funds_cny",
        MAX_FUNDS_CNY,
        "per center and year (10 billion CNY), above a whole city's service budget.",
        "每个中心每年（100亿元），高于整个城市的服务经费。",
    ),
    (
        "hours (social organizations)",
        MAX_ORG_HOURS,
        "per organization and year; 10 million hours are about 5,000 full-time workers.",
        "每个组织每年；1000万小时约合5000名全职人员。",
    ),
    (
        "reach_m",
        MAX_REACH_M,
        "100 km, wider than any district.",
        "100公里，大于任何一个区县。",
    ),
    (
        "hours_per_resident, hours_per_elderly, hours_per_order",
        MAX_HOURS_PER_UNIT,
        "per person or order and year; a year has 8,760 hours.",
        "每人或每件工单每年；一年只有8760小时。",
    ),
    (
        "count (work-order counts)",
        MAX_ORDERS,
        "per grid, category and year; a busy urban grid logs a few thousand orders a year.",
        "每个网格、类别和年份；繁忙的城市网格每年也只有数千件工单。",
    ),
)


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    Parameters
    ----------
    name : str
        Column name in the file (English snake_case).
    dtype : Dtype
        Logical type after reading.
    unit : str
        Unit of the values, empty when none applies.
    required : bool
        Whether the column must be present.
    meaning : str
        One line in English.
    meaning_zh : str
        One line in Simplified Chinese.
    allowed : tuple of str, optional
        The only values allowed (for text columns).
    minimum, maximum : float, optional
        Inclusive bounds for numbers.
    default : float, optional
        Value used when an optional column is absent.
    unique : bool
        Whether values must be unique (an id).
    """

    name: str
    dtype: Dtype
    unit: str
    required: bool
    meaning: str
    meaning_zh: str
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    default: float | None = None
    unique: bool = False


@dataclass(frozen=True)
class Table:
    """One file of a dataset folder."""

    name: str
    filename: str
    required: bool
    meaning: str
    meaning_zh: str
    columns: tuple[Column, ...]

    @property
    def key(self) -> str | None:
        """Name of the unique id column, if any."""
        return next((c.name for c in self.columns if c.unique), None)

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.filename} has no column {name!r} in the schema")


def _count(
    name: str, meaning: str, meaning_zh: str, *, required: bool = True, unit: str = "persons"
) -> Column:
    return Column(name, "int", unit, required, meaning, meaning_zh, minimum=0, maximum=MAX_PERSONS)


_LON = Column(
    "lon",
    "float",
    "degrees (WGS84)",
    True,
    "Longitude.",
    "经度（WGS84）。",
    minimum=73.0,
    maximum=135.5,
)
_LAT = Column(
    "lat",
    "float",
    "degrees (WGS84)",
    True,
    "Latitude.",
    "纬度（WGS84）。",
    minimum=3.5,
    maximum=54.0,
)


GRIDS = Table(
    "grids",
    "grids.geojson",
    True,
    "Governance grids: one polygon per grid with its population.",
    "网格：每个网格一个面，含人口信息。",
    (
        Column("grid_id", "str", "", True, "Unique grid id.", "网格编号（唯一）。", unique=True),
        Column("name", "str", "", True, "Grid name.", "网格名称。"),
        Column("street", "str", "", True, "Street or town the grid belongs to.", "所属街道/镇。"),
        Column("community", "str", "", True, "Community or village.", "所属社区/村。"),
        Column(
            "urban_rural",
            "str",
            "",
            True,
            "Urban or rural grid.",
            "城市或农村网格。",
            allowed=URBAN_RURAL,
        ),
        _count("households", "Households.", "户数。", unit="households"),
        _count("residents", "Resident population.", "常住人口。"),
        _count("elderly", "Residents aged 60 and over.", "60岁及以上人口。"),
        Column(
            "priority",
            "float",
            "weight",
            False,
            "Service priority weight (1.0 = normal).",
            "服务优先权重（1.0为一般）。",
            minimum=0,
            maximum=MAX_PRIORITY,
            default=1.0,
        ),
        _count(
            "party_members", "Party members living in the grid.", "网格内党员人数。", required=False
        ),
        _count(
            "party_members_60plus",
            "Party members aged 60 and over.",
            "60岁及以上党员人数。",
            required=False,
        ),
        _count(
            "key_families",
            "Party-Member Key Families (党员中心户).",
            "党员中心户数。",
            required=False,
            unit="households",
        ),
        Column(
            "geometry",
            "geometry",
            "",
            True,
            "Polygon or MultiPolygon with a CRS.",
            "面几何（须带坐标系）。",
        ),
    ),
)

CENTERS = Table(
    "centers",
    "centers.csv",
    True,
    "Party-mass service centers at street, community and grid-station level.",
    "党群服务中心（街道、社区、网格站三级）。",
    (
        Column(
            "center_id", "str", "", True, "Unique center id.", "中心编号（唯一）。", unique=True
        ),
        Column("name", "str", "", True, "Center name.", "中心名称。"),
        Column("level", "str", "", True, "Level of the center.", "中心层级。", allowed=LEVELS),
        _LON,
        _LAT,
        Column(
            "staff",
            "float",
            "persons",
            True,
            "Staff today.",
            "现有工作人员数。",
            minimum=0,
            maximum=MAX_STAFF,
        ),
        Column(
            "funds_cny",
            "float",
            "CNY / year",
            True,
            "Service funds today.",
            "现有年度服务经费（元）。",
            minimum=0,
            maximum=MAX_FUNDS_CNY,
        ),
        Column(
            "max_staff",
            "float",
            "persons",
            True,
            "Most staff the center can hold.",
            "最大可容纳人员数。",
            minimum=0,
            maximum=MAX_STAFF,
        ),
    ),
)

SOCIAL_ORGS = Table(
    "social_orgs",
    "social_orgs.csv",
    False,
    "Social organizations that can deliver service hours.",
    "可提供服务时长的社会组织。",
    (
        Column(
            "org_id", "str", "", True, "Unique organization id.", "组织编号（唯一）。", unique=True
        ),
        Column("name", "str", "", True, "Organization name.", "组织名称。"),
        Column("domain", "str", "", True, "Service category it works in.", "服务领域（类别）。"),
        Column(
            "rating",
            "str",
            "",
            True,
            "Rating 1A-5A, or none.",
            "等级评估（1A-5A或none）。",
            allowed=RATINGS,
        ),
        Column(
            "hours",
            "float",
            "hours / year",
            True,
            "Service hours it offers per year.",
            "每年可提供服务时长。",
            minimum=0,
            maximum=MAX_ORG_HOURS,
        ),
        _LON,
        _LAT,
        Column(
            "reach_m",
            "float",
            "m",
            True,
            "How far it travels to a center.",
            "可服务的中心距离范围（米）。",
            minimum=0,
            maximum=MAX_REACH_M,
        ),
    ),
)

WORK_ORDERS = Table(
    "work_orders",
    "work_orders.csv",
    False,
    "Work orders logged by grid platforms and the 12345 hotline.",
    "网格平台及12345热线工单。",
    (
        Column(
            "order_id", "str", "", True, "Unique work-order id.", "工单编号（唯一）。", unique=True
        ),
        Column("grid_id", "str", "", True, "Grid the order came from.", "所属网格编号。"),
        Column("category", "str", "", True, "Service category.", "服务类别。"),
        Column("created_at", "datetime", "", True, "When it was logged.", "创建时间。"),
        Column(
            "closed_at",
            "datetime",
            "",
            False,
            "When it was closed (empty if open).",
            "办结时间（未办结为空）。",
        ),
        Column(
            "satisfaction",
            "float",
            "1-5",
            False,
            "Resident satisfaction with the outcome.",
            "群众满意度（1-5）。",
            minimum=1,
            maximum=5,
        ),
    ),
)

WORK_ORDER_COUNTS = Table(
    "work_order_counts",
    "work_order_counts.csv",
    False,
    "Work orders counted per grid and category, in place of the raw log "
    "(when the log is too big or private). With both files present the raw log is used.",
    "按网格和类别汇总的工单数，可代替工单明细（明细过大或不宜提供时）。两个文件都有时使用明细。",
    (
        Column("grid_id", "str", "", True, "Grid the orders came from.", "所属网格编号。"),
        Column("category", "str", "", True, "Service category.", "服务类别。"),
        Column(
            "count",
            "int",
            "orders",
            True,
            "Number of work orders (rows of the same grid, category and year are added).",
            "工单数（同一网格、类别和年份的多行相加）。",
            minimum=0,
            maximum=MAX_ORDERS,
        ),
        Column(
            "year",
            "int",
            "",
            False,
            "Year the orders were logged (empty when unknown).",
            "工单年份（不详可留空）。",
            minimum=1900,
            maximum=2100,
        ),
    ),
)

SURVEYS = Table(
    "surveys",
    "surveys.csv",
    False,
    "Resident satisfaction surveys per grid.",
    "网格居民满意度调查。",
    (
        Column("grid_id", "str", "", True, "Grid surveyed.", "调查网格编号。", unique=True),
        _count("respondents", "Number of respondents.", "受访人数。"),
        Column(
            "satisfaction",
            "float",
            "1-5",
            True,
            "Mean satisfaction.",
            "平均满意度（1-5）。",
            minimum=1,
            maximum=5,
        ),
    ),
)

STANDARDS = Table(
    "standards",
    "standards.csv",
    True,
    "Activity standards per service category (WISN-style workload).",
    "各服务类别的工作量标准（WISN法）。",
    (
        Column("category", "str", "", True, "Service category.", "服务类别。", unique=True),
        Column(
            "hours_per_resident",
            "float",
            "hours / resident / year",
            True,
            "Hours per resident.",
            "每位居民年服务时长。",
            minimum=0,
            maximum=MAX_HOURS_PER_UNIT,
        ),
        Column(
            "hours_per_elderly",
            "float",
            "hours / elderly / year",
            True,
            "Extra hours per elderly resident.",
            "每位老年人额外年服务时长。",
            minimum=0,
            maximum=MAX_HOURS_PER_UNIT,
        ),
        Column(
            "hours_per_order",
            "float",
            "hours / order",
            True,
            "Hours per work order.",
            "每件工单服务时长。",
            minimum=0,
            maximum=MAX_HOURS_PER_UNIT,
        ),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (GRIDS, CENTERS, SOCIAL_ORGS, WORK_ORDERS, WORK_ORDER_COUNTS, SURVEYS, STANDARDS)
}


def table(name: str) -> Table:
    """Return the table called ``name`` (``grids``, ``centers``, ...)."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}") from None
