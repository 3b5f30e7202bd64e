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
