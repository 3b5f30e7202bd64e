"""Map builders: offline assets, escaping, one styled GeoJSON layer, legends."""

from __future__ import annotations

import itertools
import re
from typing import Any

import folium
import numpy as np
import pandas as pd
import pytest
from fakes import make_dataset, make_plan

from govopt.analysis import indicators
from govopt.data.dataset import Dataset
from govopt.output import maps

EVIL = "<script>alert(1)</script>"


def _evil_dataset() -> Dataset:
    d = make_dataset()
    d.grids.loc[0, "name"] = EVIL
    d.grids.loc[1, "name"] = "=SUM(A1)"
    d.centers.loc[0, "name"] = "<img src=x onerror=alert(2)>"
    return d


def _layer(m: folium.Map, name: str) -> folium.GeoJson:
    for child in m._children.values():
        if isinstance(child, folium.GeoJson) and child.layer_name == name:
            return child
    raise AssertionError(f"no layer {name}")


def _features(m: folium.Map, name: str = "Grids") -> list[dict[str, Any]]:
    return list(_layer(m, name).data["features"])


def test_map_loads_only_leaflet_from_the_app_and_nothing_from_the_internet() -> None:
    d = make_dataset()
    m = maps.grid_map(
        d, indicators.compute(d, "staff_per_10k"), indicator="staff_per_10k", lang="en",
        show_orgs=True,
    )  # fmt: skip
    page = m.get_root().render()
    assert re.findall(r"https?://", page) == []
    assert '<script src="/app/static/leaflet/leaflet.js">' in page
    assert "/app/static/leaflet/leaflet.css" in page
    assert "jquery" not in page and "bootstrap" not in page
    assert "L_PREFER_CANVAS" in page or "preferCanvas" in page


def test_online_tiles_only_when_asked() -> None:
    d = make_dataset()
    m = maps.grid_map(d, None, indicator="staff_per_10k", lang="en", online_tiles=True)
    assert "tile.openstreetmap.org" in m.get_root().render()


def test_user_text_is_escaped_in_every_tooltip() -> None:
    d = _evil_dataset()
    m = maps.grid_map(d, None, indicator="staff_per_10k", lang="zh")
    names = {f["properties"]["grid_id"]: f["properties"]["n"] for f in _features(m, "网格")}
    assert names["G1"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert names["G2"] == "=SUM(A1)"
    streets = {f["properties"]["grid_id"]: f["properties"]["v"][0] for f in _features(m, "网格")}
    assert streets["G1"] == "东街道 / 东社区"
    page = m.get_root().render()
    assert EVIL not in page
    assert "<img src=x" not in page
    assert "\\u0026lt;img src=x onerror=alert(2)\\u0026gt;" in page


def test_one_grid_layer_with_precomputed_colors_and_a_js_style() -> None:
    d = make_dataset()
    plan = make_plan()
    m = maps.indicator_map(d, "plan_coverage", lang="en", plan=plan).map
    layer = _layer(m, "Grids")
    assert layer.style is False  # no per-feature Python style function
    assert "f.properties.fc" in str(layer.options["style"])
    colors = {f["properties"]["grid_id"]: f["properties"]["fc"] for f in _features(m)}
    # coverage 0.9, 0.875, 0.6, 0.0 -> classes 80-100%, 80-100%, 60-80%, 0-20%
    lg = maps.legend(indicators.compute(d, "plan_coverage", plan=plan), "plan_coverage", "en")
    assert colors == {
        "G1": lg.colors[4],
        "G2": lg.colors[4],
        "G3": lg.colors[3],
        "G4": lg.colors[0],
    }
    grids = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert sum(len(g.data["features"]) == 4 for g in grids) == 1


def test_coordinates_are_rounded_for_display() -> None:
    d = make_dataset()
    d.grids.geometry = d.grids.geometry.translate(1.234567891e-7, 0)
    m = maps.grid_map(d, None, indicator="staff_per_10k", lang="en")
    coords = np.asarray(_features(m)[0]["geometry"]["coordinates"][0], dtype=float)
    assert np.allclose(coords, np.round(coords, 5), atol=0)


def test_street_filter_keeps_only_that_street() -> None:
    d = make_dataset()
    m = maps.grid_map(d, None, indicator="staff_per_10k", lang="zh", street="西街道")
    assert sorted(f["properties"]["grid_id"] for f in _features(m, "网格")) == ["G3", "G4"]


def test_no_data_grids_are_grey() -> None:
    d = make_dataset()
    values = pd.Series([1.0, np.nan, 3.0, 4.0], index=["G1", "G2", "G3", "G4"])
    m = maps.grid_map(d, values, indicator="satisfaction", lang="en")
    colors = {f["properties"]["grid_id"]: f["properties"]["fc"] for f in _features(m)}
    assert colors["G2"] == maps.NO_DATA_COLOR
    assert colors["G1"] != maps.NO_DATA_COLOR


def test_share_legend_has_fixed_classes_with_labels() -> None:
    lg = maps.legend(pd.Series([0.1, 0.5, 0.95]), "plan_coverage", "en")
    assert lg.bins == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    assert lg.labels[0] == "0.0% – 20.0%"
    assert len(lg.colors) == 5
    assert lg.title == "Coverage under the plan"


def test_diverging_legend_is_symmetric_around_zero() -> None:
    lg = maps.legend(pd.Series([-0.1, 0.05, 0.4]), "coverage_change", "zh", diverging=True)
    assert lg.bins[0] == pytest.approx(-0.4)
    assert lg.bins[-1] == pytest.approx(0.4)
    assert lg.bins[2] == pytest.approx(-lg.bins[3])
    assert lg.no_data == "无数据"


def test_change_map_colors_gains_green() -> None:
    d = make_dataset()
    a = make_plan("a")
    b = make_plan("b", served=(1000.0, 700.0, 300.0, 0.0))
    m = maps.indicator_map(d, "coverage_change", lang="en", plan=a, other=b).map
    colors = {f["properties"]["grid_id"]: f["properties"]["fc"] for f in _features(m)}
    assert colors["G1"] in ("#a6d96a", "#1a9641")  # +10 points: a gain
    assert colors["G4"] == "#ffffbf"  # no change


def test_legend_html_escapes_text() -> None:
    lg = maps.Legend("<b>t</b>", (0.0, 1.0), ("#ffffff",), ("a<b",), no_data="")
    out = maps.legend_html(lg)
    assert "&lt;b&gt;t&lt;/b&gt;" in out and "a&lt;b" in out


def test_standalone_html_inlines_leaflet_and_loads_no_url() -> None:
    d = _evil_dataset()
    m = maps.grid_map(d, None, indicator="staff_per_10k", lang="zh")
    lg = maps.legend(None, "staff_per_10k", "zh")
    page = maps.standalone_html(m, lg, title=EVIL)
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert "url(images/" not in page
    assert "data:image/png;base64," in page
    assert "L.version" in page or "Leaflet" in page
    assert EVIL not in page
    assert "<title>&lt;script&gt;" in page


def test_braces_in_names_are_never_evaluated_as_a_template() -> None:
    d = make_dataset()
    d.grids.loc[0, "name"] = "{{ 7 * 7 }}{% if true %}x{% endif %}"
    m = maps.grid_map(d, None, indicator="staff_per_10k", lang="en")
    page = maps.standalone_html(m, maps.legend(None, "staff_per_10k", "en"))
    assert "&#123;&#123; 7 * 7 &#125;&#125;" in page.replace("\\u0026", "&")
    assert "{{" not in page.replace("\\u0026", "&").split("addData(")[-1]


def test_distance_legend_merges_classes_that_would_read_alike() -> None:
    # Most grids have a center on their centroid: the 20-60 % quantiles are 0.03-0.06 m,
    # the 80 % one 164.6 + 0.2 * (900 - 164.6) = 311.7 m, rounded to 10 m (range / 50).
    values = pd.Series([0.001, 0.01, 0.03, 0.04, 0.05, 0.06, 0.07, 164.6, 900.0, 3617.47])
    lg = maps.legend(values, "dist_community", "zh")
    assert lg.labels == ("0 米 – 310 米", "310 米 – 3,617 米")
    assert len(set(lg.labels)) == len(lg.labels) == len(lg.colors)
    assert all(lo < hi for lo, hi in itertools.pairwise(lg.bins))
    assert "0 米 – 0 米" not in lg.labels


def test_wide_ranges_get_round_class_edges() -> None:
    values = pd.Series(np.linspace(11.5, 17_501.3, 101))
    lg = maps.legend(values, "dist_street", "en")
    assert lg.bins == (12.0, 3500.0, 7000.0, 10500.0, 14000.0, 17501.0)
    assert lg.labels[1] == "3,500 m – 7,000 m"


def test_values_all_alike_give_one_class() -> None:
    lg = maps.legend(pd.Series([0.001, 0.002, 0.004]), "dist_grid", "en")
    assert lg.labels == ("0 m",)
    assert len(lg.colors) == 1


def test_change_legend_has_a_narrow_no_change_band_around_zero() -> None:
    lg = maps.legend(pd.Series([-0.178, -0.02, 0.0, 0.003, 0.178]), "coverage_change", "en")
    assert lg.bins == pytest.approx((-0.178, -0.09, -0.005, 0.005, 0.09, 0.178))
    assert lg.labels[2] == "no change (±0.5 points)"
    assert lg.labels[1] == "-9.0% – -0.5%"
    assert lg.colors[2] == "#ffffbf"
    d = make_dataset()
    a = make_plan("a")
    b = make_plan("b", served=(880.0, 700.0, 303.0, 0.0))  # G1 -2 points, G3 +0.6 points
    m = maps.indicator_map(d, "coverage_change", lang="zh", plan=a, other=b).map
    colors = {f["properties"]["grid_id"]: f["properties"]["fc"] for f in _features(m, "网格")}
    assert colors["G1"] in ("#d7191c", "#fdae61")  # a real drop shows as a drop
    assert colors["G2"] == "#ffffbf"
    assert colors["G3"] in ("#a6d96a", "#1a9641")


def test_tiny_changes_are_all_no_change() -> None:
    lg = maps.legend(pd.Series([-0.004, 0.0, 0.002]), "coverage_change", "zh")
    assert lg.labels == ("无变化（±0.5个百分点）",)
    assert lg.colors == ("#ffffbf",)


def test_legend_names_the_markers_drawn() -> None:
    d = make_dataset()
    view = maps.indicator_map(d, "staff_per_10k", lang="zh", show_orgs=True)
    assert view.legend.markers == (
        (maps.LEVEL_COLORS["street"], "街道党群服务中心"),
        (maps.LEVEL_COLORS["community"], "社区党群服务中心"),
        (maps.ORG_COLOR, "社会组织"),
    )
    out = maps.legend_html(view.legend)
    assert "点位" in out and "社区党群服务中心" in out and "border-radius:50%" in out
    bare = maps.indicator_map(d, "staff_per_10k", lang="en", show_centers=False).legend
    assert bare.markers == ()


def test_center_tooltips_show_whole_staff_without_decimals_and_ratings_in_chinese() -> None:
    d = make_dataset()
    m = maps.grid_map(d, None, indicator="staff_per_10k", lang="zh", show_orgs=True)
    staff = {
        f["properties"]["n"]: f["properties"]["v"][0] for f in _features(m, "社区党群服务中心")
    }
    assert staff == {"东社区站": "3", "西社区站": "2"}
    ratings = {f["properties"]["n"]: f["properties"]["v"][1] for f in _features(m, "社会组织")}
    assert ratings == {"夕阳红": "5A", "邻里调解": "3A", "青年志愿": "未评级"}
    plan = make_plan(staff=(6.5, 3.0, 2.25))
    m = maps.indicator_map(d, "plan_coverage", lang="en", plan=plan).map
    staff = {f["properties"]["n"]: f["properties"]["v"][0] for f in _features(m, "Street centers")}
    assert staff == {"东街道中心": "6.5"}


def test_tooltips_are_kept_inside_the_map() -> None:
    d = make_dataset()
    page = maps.grid_map(d, None, indicator="staff_per_10k", lang="en").get_root().render()
    assert "L.Tooltip.prototype._setPosition" in page
    assert "direction: 'auto'" in page


def test_selected_grid_is_outlined_on_a_layer_of_its_own() -> None:
    d = make_dataset()
    group = maps.selected_grid_layer(d, "G3", "en")
    layers = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    assert len(layers) == 2  # a white halo under a dark line: visible on every class color
    for layer in layers:
        (feature,) = layer.data["features"]
        assert feature["geometry"]["coordinates"][0][0][0] == pytest.approx(117.53, abs=1e-4)
    assert "#ffffff" in str(layers[0].options["style"])
    assert "weight: 3.5" in str(layers[1].options["style"])
    assert not [c for c in maps.selected_grid_layer(d, None, "en")._children.values()]
    assert not [c for c in maps.selected_grid_layer(d, "nope", "en")._children.values()]


def test_one_large_change_does_not_swallow_the_others() -> None:
    # Changes beyond the band: 0.03, 0.08, 0.10, 0.12, 0.15, 1.0; their 75th percentile
    # is 0.12 + 0.75 * 0.03 = 0.1425, to the 5-point step: 0.15.
    lg = maps.legend(pd.Series([0.08, 0.1, 0.12, 0.15, -0.03, 1.0, 0.0]), "coverage_change", "en")
    assert lg.bins == pytest.approx((-1.0, -0.15, -0.005, 0.005, 0.15, 1.0))
    assert lg.labels[3] == "+0.5% – +15.0%"
