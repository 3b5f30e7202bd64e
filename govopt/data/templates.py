"""Empty input templates and the data dictionary, generated from :mod:`govopt.data.schema`."""

from __future__ import annotations

import io
import json
import zipfile

from govopt.data.io import MAX_FILE_BYTES, MAX_STREAMED_BYTES, MAX_UNPACKED_BYTES
from govopt.data.scenario import Scenario
from govopt.data.schema import BOUNDS, TABLES, Column, Table
from govopt.data.upload import MAX_UPLOAD_BYTES

__all__ = [
    "data_dictionary_markdown",
    "data_dictionary_text",
    "template_bytes",
    "templates_zip",
]

_BOM = "\ufeff"
_CRS84 = "urn:ogc:def:crs:OGC:1.3:CRS84"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _csv_columns(t: Table) -> list[str]:
    return [c.name for c in t.columns if c.dtype != "geometry"]


def template_bytes(table_name: str) -> tuple[str, bytes]:
    """Return ``(filename, content)`` of the empty template of one table.

    Parameters
    ----------
    table_name : str
        ``grids``, ``centers``, ``social_orgs``, ``work_orders``, ``surveys``
        or ``standards``.

    Returns
    -------
    tuple of (str, bytes)
        For grids a GeoJSON FeatureCollection with no features in WGS84;
        otherwise a CSV (UTF-8 with BOM) holding only the header row.
    """
    t = TABLES.get(table_name)
    if t is None:
        raise KeyError(f"unknown table {table_name!r}; known: {', '.join(TABLES)}")
    if t.name == "grids":
        doc = {
            "type": "FeatureCollection",
            "name": "grids",
            "crs": {"type": "name", "properties": {"name": _CRS84}},
            "features": [],
        }
        return t.filename, (json.dumps(doc, indent=1) + "\n").encode("utf-8")
    header = ",".join(_csv_columns(t)) + "\r\n"
    return t.filename, (_BOM + header).encode("utf-8")


def templates_zip() -> bytes:
    """A zip of every template, an example ``scenario.toml`` and ``README.txt`` (zh + en)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        entries = [template_bytes(name) for name in TABLES]
        entries.append(("scenario.toml", Scenario().to_toml().encode("utf-8")))
        entries.append(("README.txt", (_BOM + data_dictionary_text()).encode("utf-8")))
        for name, content in entries:
            zf.writestr(zipfile.ZipInfo(name, date_time=_EPOCH), content)
    return out.getvalue()


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _range(c: Column) -> str:
    parts: list[str] = []
    if c.allowed:
        parts.append(", ".join(c.allowed))
    if c.minimum is not None and c.maximum is not None:
        parts.append(f"{_num(c.minimum)} to {_num(c.maximum)}")
    elif c.minimum is not None:
        parts.append(f">= {_num(c.minimum)}")
    elif c.maximum is not None:
        parts.append(f"<= {_num(c.maximum)}")
    if c.unique:
        parts.append("unique")
    if c.default is not None:
        parts.append(f"default {_num(c.default)}")
    return "; ".join(parts)


_ALTERNATIVES = {
    "grids": "grids.geojson, grids.gpkg, grids.zip (zipped Shapefile) or grids.shp",
}


def _files(t: Table) -> str:
    return _ALTERNATIVES.get(t.name, f"{t.name}.csv, {t.name}.csv.gz or {t.name}.xlsx")


_INTRO_EN = (
    "A dataset is a folder (or a .zip of it). Column names are English snake_case. "
    "CSV files may be UTF-8, UTF-8 with BOM or GB18030 (Excel). Ids are read as text, "
    'so "0012" stays "0012". Optional files may be left out; optional columns are '
    "filled with their default, 0 or empty. Check a folder with `govopt validate DATA_DIR`."
)
_INTRO_ZH = (
    "一个数据集是一个文件夹（或其 .zip 压缩包）。列名使用英文小写加下划线。"
    "CSV 可为 UTF-8、带BOM的UTF-8或GB18030（Excel导出）。编号按文本读取，"
    "“0012”不会变成“12”。可选文件可以省略；可选列缺失时按默认值、0或空值填充。"
    "可用 `govopt validate DATA_DIR` 检查数据。"
)


_MB = 1024 * 1024
_LIMITS_EN = (
    f"Size limits: every file at most {MAX_FILE_BYTES // _MB:,} MB (a .csv.gz counted as it "
    f"unpacks, up to {MAX_UNPACKED_BYTES // _MB:,} MB), except the work-order log "
    "(work_orders.csv, .csv.gz or .xlsx): it is read chunk by chunk and only its counts are "
    f"kept, so it may be of any size on disk up to {MAX_STREAMED_BYTES // 1024**3} GB of text "
    "(about 200 million orders), counted while it is read. An upload in the app is at most "
    f"{MAX_UPLOAD_BYTES // _MB:,} MB in all (zip entries counted unpacked); for a larger log, "
    "upload work_order_counts.csv or use the command line on a local folder."
)
_LIMITS_ZH = (
    f"大小限制：每个文件不超过 {MAX_FILE_BYTES // _MB:,} MB（.csv.gz 按解压后计，"
    f"不超过 {MAX_UNPACKED_BYTES // _MB:,} MB）；工单明细（work_orders.csv、.csv.gz 或 .xlsx）"
    "分块读取、只保留汇总，磁盘上的文件大小不限，解压后文本不超过 "
    f"{MAX_STREAMED_BYTES // 1024**3} GB（约2亿件工单），读取时计数。"
    f"网页上传总计不超过 {MAX_UPLOAD_BYTES // _MB:,} MB（zip 按解压后计）；"
    "明细更大时请上传 work_order_counts.csv，或在命令行读取本地文件夹。"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def data_dictionary_markdown() -> str:
    """The data dictionary as Markdown: one table per file (``docs/data-dictionary.md``)."""
    lines = [
        "# Data dictionary / 数据字典",
        "",
        "Generated from `govopt/data/schema.py` by `scripts/make_data_dictionary.py`.",
        "",
        _INTRO_EN,
        "",
        _INTRO_ZH,
        "",
        "`scenario.toml` (optional) holds a default scenario; `about.toml` (optional) holds "
        "`name`, `name_zh`, `synthetic` and `source`; `outline.geojson` (optional) is the "
        "district outline.",
        "",
        _LIMITS_EN,
        "",
        _LIMITS_ZH,
    ]
    for t in TABLES.values():
        need = "required / 必需" if t.required else "optional / 可选"
        lines += [
            "",
            f"## {t.filename}",
            "",
            f"{t.meaning} {t.meaning_zh} ({need})",
            "",
            f"Accepted files / 可用文件: {_files(t)}",
            "",
            "| column | type | unit | required | allowed values / range | meaning | 含义 |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in t.columns:
            row = [
                f"`{c.name}`",
                c.dtype,
                c.unit,
                "yes" if c.required else "no",
                _range(c),
                c.meaning,
                c.meaning_zh,
            ]
            lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    lines += [
        "",
        "## Upper bounds / 上限",
        "",
        "Every number must be finite and within its range; a value above its upper bound is "
        "an error. The bounds are far above any real district and stop values that would "
        "wrap around as counts or overflow in the solver. "
        "每个数值都须为有限值并在范围内；超过上限即报错。上限远高于任何真实区县，"
        "用于拦截会使计数溢出或使求解器失败的数值。",
        "",
        "| columns | at most | why | 说明 |",
        "|---|---|---|---|",
    ]
    for columns, value, why, why_zh in BOUNDS:
        lines.append(f"| {columns} | {_num(value)} | {_cell(why)} | {_cell(why_zh)} |")
    return "\n".join(lines) + "\n"


def data_dictionary_text() -> str:
    """The data dictionary as plain text, Chinese and English (``README.txt`` of the templates)."""
    lines = [
        "数据字典 / Data dictionary",
        "",
        _INTRO_ZH,
        "",
        _INTRO_EN,
        "",
        _LIMITS_ZH,
        "",
        _LIMITS_EN,
    ]
    for t in TABLES.values():
        need = "必需 / required" if t.required else "可选 / optional"
        lines += ["", "=" * 60, f"{t.filename}  ({need})", t.meaning_zh, t.meaning]
        lines.append(f"可用文件 / accepted files: {_files(t)}")
        for c in t.columns:
            flag = "必填 required" if c.required else "选填 optional"
            unit = f" [{c.unit}]" if c.unit else ""
            extra = f"  ({_range(c)})" if _range(c) else ""
            lines.append(f"  - {c.name}: {c.dtype}{unit}, {flag}{extra}")
            lines.append(f"      {c.meaning_zh} / {c.meaning}")
    return "\n".join(lines) + "\n"
