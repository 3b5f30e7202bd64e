"""The coverage map kept between reruns: its key, the cached script and what the component gets."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import streamlit_folium
from fakes import make_dataset, make_plan

from govopt.analysis import indicators
from govopt.output import maps
from govopt.ui import cache, mapview

EVIL = "<script>alert(1)</script>"


def test_map_key_changes_with_dataset_indicator_language_plan_and_options() -> None:
    base = dict(street=None, show_centers=True, show_orgs=False, online_tiles=False)
    key = cache.map_key("d1", "staff_per_10k", "zh", **base)
    assert cache.map_key("d1", "staff_per_10k", "zh", **base) == key
    assert cache.map_key("d2", "staff_per_10k", "zh", **base) != key
    assert cache.map_key("d1", "dist_community", "zh", **base) != key
    assert cache.map_key("d1", "staff_per_10k", "en", **base) != key
    assert cache.map_key("d1", "staff_per_10k", "zh", **{**base, "street": "东街道"}) != key
    assert cache.map_key("d1", "staff_per_10k", "zh", **{**base, "show_orgs": True}) != key
    plan = make_plan()
    with_plan = cache.map_key("d1", "plan_coverage", "zh", plan, **base)
    assert with_plan != cache.map_key("d1", "plan_coverage", "zh", **base)
    assert with_plan == cache.map_key("d1", "plan_coverage", "zh", make_plan(), **base)
    assert with_plan != cache.map_key("d1", "plan_coverage", "zh", None, plan, **base)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_map_is_built_once_per_key_and_holds_escaped_names(tiny_dataset_dir: Path) -> None:
    names = tiny_dataset_dir / "grids.geojson"
    names.write_text(names.read_text(encoding="utf-8").replace("第1网格", EVIL), encoding="utf-8")
    key = cache.fingerprint(tiny_dataset_dir)
    cache.load_dataset_cached(tiny_dataset_dir)
    zh = cache.map_cached(key, "staff_per_10k", lang="zh")
    assert cache.map_cached(key, "staff_per_10k", lang="zh") is zh  # a rerun builds nothing
    en = cache.map_cached(key, "staff_per_10k", lang="en")
    assert en is not zh and "Grids" in en.script.script and "网格" in zh.script.script
    other = cache.map_cached(key, "dist_community", lang="zh")
    assert other is not zh and other.legend.title != zh.legend.title
    assert EVIL not in zh.script.script  # sent escaped, with & written \u0026 in the script
    assert "\\u0026lt;script\\u0026gt;alert(1)" in zh.script.script
    assert zh.values.equals(indicators.compute(cache.dataset_by_key(key), "staff_per_10k"))

    copy = tiny_dataset_dir.parent / "tiny-changed"
    shutil.copytree(tiny_dataset_dir, copy)
    copy_key = cache.fingerprint(copy)
    cache.load_dataset_cached(copy)
    assert cache.map_cached(copy_key, "staff_per_10k", lang="zh") is not zh


def _sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: calls.append(kw))
    return calls


def test_render_map_sends_what_st_folium_would_send(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _sent(monkeypatch)
    d = make_dataset()
    values = indicators.compute(d, "staff_per_10k")

    def build() -> Any:
        return maps.grid_map(d, values, indicator="staff_per_10k", lang="zh")

    outline = maps.selected_grid_layer(d, "G2", "zh")
    streamlit_folium.st_folium(
        build(),
        key="m",
        height=600,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        feature_group_to_add=outline,
    )
    drawn = mapview.map_script(build())
    again = mapview.render_map(
        drawn, key="m", height=600, clickable=True, overlay=maps.selected_grid_layer(d, "G2", "zh")
    )
    assert again is None  # nothing clicked yet
    want, got = calls
    skip = {"key", "on_change"}
    assert {k: v for k, v in got.items() if k not in skip} == {
        k: v for k, v in want.items() if k not in skip
    }
    outline_name = "feature_group_feature_group_0"  # the outline travels beside the map
    assert outline_name in got["feature_group"] and outline_name not in got["script"]
    assert mapview.map_script(build()).digest == drawn.digest  # the same map, the same component
