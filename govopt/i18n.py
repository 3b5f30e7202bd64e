"""UI strings in Simplified Chinese and English, and locale-aware number formatting."""

from __future__ import annotations

__all__ = ["LANGS", "fmt_int", "fmt_num", "fmt_pct", "t"]

LANGS: tuple[str, ...] = ("zh", "en")

# key -> (zh, en). Keep keys grouped by page; placeholders use str.format names.
STRINGS: dict[str, tuple[str, str]] = {
    # ----- common -----
    "app.title": ("网格化服务资源优化", "Grid governance resource planner"),
    "lang.label": ("语言 / Language", "Language / 语言"),
    # ----- overview, what-if, scenarios, data pages -----
    # ----- coverage map -----
    "map.page_title": ("覆盖地图", "Coverage map"),
    "map.no_data": ("无数据", "no data"),
    "map.layer.outline": ("区界", "District outline"),
    "map.layer.streets": ("街道边界", "Street outlines"),
    "map.layer.grids": ("网格", "Grids"),
    "map.layer.centers": ("{level}", "{level}"),
    "map.layer.orgs": ("社会组织", "Social organizations"),
    "map.level.street": ("街道党群服务中心", "Street centers"),
    "map.level.community": ("社区党群服务中心", "Community centers"),
    "map.level.grid": ("网格服务站", "Grid stations"),
    "map.tip.street": ("街道/社区", "Street / community"),
    "map.tip.staff": ("工作人员", "Staff"),
    "map.tip.domain": ("服务领域", "Domain"),
    "map.tip.rating": ("等级", "Rating"),
    "map.tip.hours": ("年服务时长", "Hours per year"),
    "map.indicator": ("指标", "Indicator"),
    "map.street_filter": ("街道/镇", "Street / town"),
    "map.all_streets": ("全部", "All"),
    "map.show_centers": ("显示党群服务中心", "Show service centers"),
    "map.show_orgs": ("显示社会组织", "Show social organizations"),
    "map.online_tiles": ("在线底图（需联网）", "Online base map (needs internet)"),
    "map.details": ("网格详情", "Grid details"),
    "map.click_hint": ("点击地图上的网格查看详情。", "Click a grid on the map to see its details."),
    "map.solving": ("正在计算方案…", "Solving the plan…"),
    "map.plan_failed": (
        "方案未求得最优解，改为显示现状指标：{reason}",
        "The plan has no optimal solution; showing data-only indicators instead: {reason}",
    ),
    "map.download": ("下载离线地图（HTML）", "Download offline map (HTML)"),
    "map.grids_shown": ("显示 {n} 个网格", "{n} grids shown"),
}


def t(key: str, lang: str = "zh", **params: object) -> str:
    """Return the string ``key`` in ``lang`` (``zh`` or ``en``), formatted with ``params``.

    An unknown key returns the key itself so a missing string is visible, never a crash.
    """
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text


def fmt_num(value: float | None, lang: str = "zh", digits: int = 1) -> str:
    """Format a number with thousands separators; large values in 万 for Chinese."""
    if value is None or value != value:
        return "—"
    if lang != "en" and abs(value) >= 100_000:
        return f"{value / 10_000:,.{digits}f}万"
    return f"{value:,.{digits}f}"


def fmt_int(value: float | None, lang: str = "zh") -> str:
    """Format a whole number with thousands separators."""
    if value is None or value != value:
        return "—"
    if lang != "en" and abs(value) >= 100_000:
        return f"{value / 10_000:,.1f}万"
    return f"{round(value):,d}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """Format a share (0.8) as a percentage (80.0%)."""
    if value is None or value != value:
        return "—"
    return f"{value * 100:.{digits}f}%"
