"""Packed map layers (large districts): every grid, its values and escaped text survive packing."""

from __future__ import annotations

import json
from typing import Any

import folium
import numpy as np
import pytest
import shapely
from fakes import make_dataset
from shapely.geometry import MultiPolygon, Polygon, box

from govopt.analysis import indicators
from govopt.data.dataset import Dataset
from govopt.output import map_pack, maps

EVIL = "<script>alert(1)</script>"


def _at(col: Any, i: int, shared: list[Any]) -> Any:
    if isinstance(col, list):
        return col[i]
    if "c" in col:
        text = _at(col["c"], i, shared)
        for j, part in enumerate(col["a"]):
            text = text.replace("{" + str(j) + "}", _at(shared[part], i, shared))
        return text
    return col["k"] if "k" in col else col["l"][col["i"][i]]


def unpack(d: dict[str, Any]) -> list[dict[str, Any]]:
    """The features of a packed payload, read back as the module's text describes."""
    q, (ox, oy) = d["q"], d["o"]
    features = []
    for i in range(d["n"]):
        if d["t"] == "Point":
            geom: dict[str, Any] | None = {
                "type": "Point",
                "coordinates": [(ox + d["g"][2 * i]) / q, (oy + d["g"][2 * i + 1]) / q],
            }
        else:
            polys = []
            for poly in d["g"][i]:
                rings = []
                for flat in poly:
                    steps = np.asarray(flat, dtype=np.int64).reshape(-1, 2)
                    xy = (np.cumsum(steps, axis=0) + np.array([ox, oy])) / q
                    rings.append([*xy.tolist(), xy[0].tolist()])
                polys.append(rings)
            geom = None
            if len(polys) == 1:
                geom = {"type": "Polygon", "coordinates": polys[0]}
            elif polys:
                geom = {"type": "MultiPolygon", "coordinates": polys}
        props = {k: _at(c, i, d["x"]) for k, c in d["p"].items()}
        props["v"] = [_at(c, i, d["x"]) for c in d["v"]]
        features.append({"type": "Feature", "geometry": geom, "properties": props})
    return features


def _layers(m: folium.Map) -> dict[str, folium.GeoJson]:
    return {c.layer_name: c for c in m._children.values() if isinstance(c, folium.GeoJson)}


def _odd_dataset() -> Dataset:
    """The fake district with a grid holding a hole, a grid in two parts and user text."""
    d = make_dataset()
    hole = Polygon(
        [(117.50, 36.70), (117.51, 36.70), (117.51, 36.71), (117.50, 36.71)],
        [[(117.503, 36.703), (117.506, 36.703), (117.506, 36.706), (117.503, 36.706)]],
    )
    parts = MultiPolygon([box(117.51, 36.70, 117.515, 36.71), box(117.516, 36.70, 117.52, 36.71)])
    d.grids.geometry = [hole, parts, *d.grids.geometry.iloc[2:]]
    d.grids.loc[0, "name"] = EVIL
    d.grids.loc[1, "community"] = "<img src=x onerror=alert(3)>"
    d.grids.geometry = d.grids.geometry.translate(1.234567891e-6, -3.3e-6)
    return d


def _both(d: Dataset, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> tuple[Any, Any]:
    values = indicators.compute(d, "staff_per_10k")
    plain = maps.grid_map(d, values, indicator="staff_per_10k", lang="zh", **kw)
    monkeypatch.setattr(maps, "_PACK_FROM", 1)
    maps._GEO_CACHE.pop(d, None)
    packed = maps.grid_map(d, values, indicator="staff_per_10k", lang="zh", **kw)
    return plain, packed


def test_packed_grid_layer_keeps_every_grid_its_values_and_its_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = _odd_dataset()
    plain, packed = _both(d, monkeypatch)
    before = _layers(plain)["网格"].data["features"]
    layer = _layers(packed)["网格"]
    assert isinstance(layer, maps._PackedLayer)
    after = unpack(layer.data)
    assert [f["properties"] for f in after] == [f["properties"] for f in before]
    assert [f["properties"]["grid_id"] for f in after] == ["G1", "G2", "G3", "G4"]
    for a, b, original in zip(after, before, d.grids.geometry, strict=True):
        assert a["geometry"]["type"] == b["geometry"]["type"]
        got, want = shapely.geometry.shape(a["geometry"]), shapely.geometry.shape(b["geometry"])
        assert np.allclose(shapely.get_coordinates(got), shapely.get_coordinates(want), atol=1e-9)
        # rounded to 1e-5 degrees (about a metre), nothing moves further than half a step
        assert got.hausdorff_distance(original) <= 0.5e-5 + 1e-9
    assert len(after[0]["geometry"]["coordinates"]) == 2  # the hole is kept
    assert len(after[1]["geometry"]["coordinates"]) == 2  # both parts are kept


def test_packed_layer_is_smaller_and_holds_no_raw_user_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = _odd_dataset()
    plain, packed = _both(d, monkeypatch)
    names = {f["properties"]["grid_id"]: f for f in unpack(_layers(packed)["网格"].data)}
    assert names["G1"]["properties"]["n"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert names["G2"]["properties"]["v"][0] == "东街道 / &lt;img src=x onerror=alert(3)&gt;"
    page = packed.get_root().render()
    assert EVIL not in page and "<img src=x" not in page
    assert "addData((function(d){" in page
    text = _layers(packed)["网格"].data_json
    assert len(text) < len(_layers(plain)["网格"].data_json)


def test_packed_street_filter_keeps_only_that_street(monkeypatch: pytest.MonkeyPatch) -> None:
    d = _odd_dataset()
    _, packed = _both(d, monkeypatch, street="西街道")
    layer = _layers(packed)["网格"]
    assert [f["properties"]["grid_id"] for f in unpack(layer.data)] == ["G3", "G4"]
    (south, west), (north, east) = layer.get_bounds()
    assert (west, east) == pytest.approx((117.52, 117.54), abs=1e-5)
    assert (south, north) == pytest.approx((36.70, 36.71), abs=1e-5)


def test_packed_center_points_keep_names_radii_and_staff(monkeypatch: pytest.MonkeyPatch) -> None:
    d = make_dataset()
    d.centers.loc[1, "name"] = EVIL
    plain, packed = _both(d, monkeypatch)
    for name in ("社区党群服务中心", "街道党群服务中心"):
        before = _layers(plain)[name].data["features"]
        after = unpack(_layers(packed)[name].data)
        assert [f["properties"] for f in after] == [f["properties"] for f in before]
        got = np.array([f["geometry"]["coordinates"] for f in after])
        assert np.allclose(got, [f["geometry"]["coordinates"] for f in before], atol=1e-9)
    assert EVIL not in packed.get_root().render()


def test_columns_travel_as_one_value_a_lookup_or_a_list() -> None:
    assert map_pack.column(["a", "a", "a"]) == {"k": "a"}
    assert map_pack.column(["a", "b", "a", "a"]) == {"l": ["a", "b"], "i": [0, 1, 0, 0]}
    assert map_pack.column(["a", "b", "c"]) == ["a", "b", "c"]
    assert map_pack.column([]) == []


def test_shared_vertices_stay_shared_after_quantizing() -> None:
    left, right = box(117.0, 36.0, 117.123456, 36.1), box(117.123456, 36.0, 117.3, 36.1)
    d = map_pack.pack_polygons([left, right], {"id": ["a", "b"]})
    a, b = (shapely.geometry.shape(f["geometry"]) for f in unpack(d))
    assert a.intersection(b).length == pytest.approx(0.1)
    assert a.intersection(b).area == 0.0
    assert json.dumps(d["g"]).count("117") == 0  # steps, not degrees


def test_too_many_hidden_centers_are_left_out_and_named_until_a_street_is_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = make_dataset()
    monkeypatch.setattr(maps, "_MAX_SHOWN_MARKERS", 1)
    monkeypatch.setattr(maps, "_MAX_LISTED_MARKERS", 1)
    whole = maps.indicator_map(d, "staff_per_10k", lang="zh")
    assert "社区党群服务中心" not in _layers(whole.map)
    assert "街道党群服务中心" in _layers(whole.map)
    assert whole.unlisted == ("社区党群服务中心",)
    east = maps.indicator_map(d, "staff_per_10k", lang="en", street="东街道")
    assert east.unlisted == ()
    names = [f["properties"]["n"] for f in _layers(east.map)["Community centers"].data["features"]]
    assert names == ["东社区站"]


def test_many_street_names_show_only_when_zoomed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    d = make_dataset()
    few = maps.grid_map(d, None, indicator="staff_per_10k", lang="zh").get_root().render()
    assert "map.getZoom() >= " not in few
    monkeypatch.setattr(maps, "_MAX_STREET_LABELS", 1)
    many = maps.grid_map(d, None, indicator="staff_per_10k", lang="zh").get_root().render()
    assert f"map.getZoom() >= {maps._LABELS_ZOOM}" in many
    assert "东街道" in many and "西街道" in many  # the names are still sent, shown from that zoom


def test_names_travel_as_templates_of_street_and_community_and_read_back() -> None:
    names = ["东街道-东社区-第1网格", "西-西社区-1", "东社区一网格", "X", "A"]
    streets = ["东街道", "西", "东", "", "A"]
    communities = ["东社区", "西社区", "东社区", "Y", "A"]
    made = map_pack.templates(names, [streets, communities])
    assert made == ["{0}-{1}-第1网格", "{0}-{0}社区-1", "{0}社区一网格", "X", "{0}"]
    col = map_pack.column(map_pack.Composed(made, (0, 1)))
    shared = [map_pack.column(streets), map_pack.column(communities)]
    assert [_at(col, i, shared) for i in range(len(names))] == names
    assert map_pack.templates(["a{0}"], [["a"]]) is None  # a brace could not be told apart


def test_packed_grid_names_are_sent_once_per_street_and_community(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = make_dataset()
    d.grids["name"] = [f"{s}{c}第{i}网格" for i, (s, c) in enumerate(zip(d.grids["street"],
                       d.grids["community"], strict=True))]  # fmt: skip
    plain, packed = _both(d, monkeypatch)
    layer = _layers(packed)["网格"]
    assert layer.data["p"]["n"]["c"] == ["{0}{1}第0网格", "{0}{1}第1网格", "{0}{1}第2网格",
                                         "{0}{1}第3网格"]  # fmt: skip
    assert [f["properties"] for f in unpack(layer.data)] == [
        f["properties"] for f in _layers(plain)["网格"].data["features"]
    ]
    assert layer.data_text.count("东社区") == 1
