"""Id hashes and the NUL look read from Arrow buffers, and the codes and tallies of the log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from govopt.data.orders import (
    CountTally,
    Labels,
    _few_distinct,
    _sum_by,
    count_orders,
    order_years,
)
from govopt.data.text_buffers import has_nul, id_hashes, text_array, text_bytes

IDS = ["WO2025000001", "", "a", "a\x00", "长者服务", "x" * 8, "x" * 9, "x" * 17, "WO2025000002"]


def test_equal_ids_hash_alike_wherever_they_sit() -> None:
    whole = id_hashes(pa.array(IDS, type=pa.large_string()))
    # the same ids after others, in a slice, in several chunks, as pandas text of either kind
    shifted = id_hashes(pa.array(["pad", "padding text", *IDS]))[2:]
    sliced = id_hashes(pa.array(["pad", *IDS, "end"], type=pa.large_string()).slice(1, len(IDS)))
    chunked = id_hashes(pa.chunked_array([IDS[:4], IDS[4:]], type=pa.string()))
    as_str = id_hashes(pd.Series(IDS, dtype="str"))
    as_object = id_hashes(pd.Series(IDS, dtype=object))
    for other in (shifted, sliced, chunked, as_str, as_object):
        assert other.dtype == np.uint64
        np.testing.assert_array_equal(other, whole)


def test_different_ids_hash_apart() -> None:
    assert len(set(id_hashes(pd.Series(IDS, dtype="str")).tolist())) == len(IDS)
    # ids of one pattern, as a log numbers them, and ids one character apart at every place
    numbered = [f"WO2025{i:010d}" for i in range(200_000)]
    assert len(np.unique(id_hashes(pa.array(numbered)))) == 200_000
    base = "GRID-0123456789-abcdefghij"
    near = [base[:i] + "#" + base[i + 1 :] for i in range(len(base))] + [base, base[:-1]]
    assert len(np.unique(id_hashes(pa.array(near)))) == len(near)


def test_missing_ids_hash_to_zero_and_present_ids_never() -> None:
    h = id_hashes(pd.Series(["A1", None, "", np.nan, "A1"], dtype=object))
    assert h[1] == 0 and h[3] == 0
    assert (h[[0, 2, 4]] != 0).all() and h[0] == h[4]
    assert id_hashes(pa.array([None, None], type=pa.large_string())).tolist() == [0, 0]
    assert id_hashes(pa.array([], type=pa.large_string())).shape == (0,)


def test_nul_is_seen_only_inside_the_texts() -> None:
    assert has_nul(pd.Series(["ok", "bad\x00cell"], dtype="str"))
    assert not has_nul(pd.Series(["ok", None, ""], dtype="str"))
    sliced = pa.array(["a\x00", "fine", "also fine", "b\x00"], type=pa.large_string()).slice(1, 2)
    assert not has_nul(sliced)
    assert has_nul(pa.chunked_array([["fine"], ["\x00"]]))


def test_text_bytes_count_the_utf8_of_the_texts_only() -> None:
    texts = pa.array(["pad", " a ", None, "长者", "", "end"], type=pa.large_string())
    assert text_bytes(texts.slice(1, 4)) == 3 + 6
    assert text_bytes(pd.Series(["ab", None], dtype="str")) == 2
    assert text_bytes(pa.chunked_array([["ab"], ["c"]])) == 3


def test_labels_code_known_values_first_and_new_ones_in_order() -> None:
    labels = Labels(["0102", "0101"])
    codes = labels.codes(pd.Series(["0101", "9999", None, "0102", "9999", "8888"], dtype="str"))
    assert codes.tolist() == [1, 2, -1, 0, 2, 3]
    assert labels.values == ["0102", "0101", "9999", "8888"] and labels.known == 2
    assert labels.codes(pd.Series(["7777", "0102"]), extend=False).tolist() == [-1, 0]
    assert labels.values == ["0102", "0101", "9999", "8888"]


def test_labels_code_a_sorted_log_as_a_shuffled_one() -> None:
    rng = np.random.default_rng(11)
    ids = np.repeat(np.array([f"G{i:03d}" for i in range(500)], dtype=object), 12)
    ids[rng.choice(len(ids), 30, replace=False)] = None
    ids[rng.choice(len(ids), 30, replace=False)] = "elsewhere"
    order = rng.permutation(len(ids))
    # grouped rows are looked up value by value, shuffled rows row by row
    assert _few_distinct(text_array(pd.Series(ids, dtype="str")))
    assert not _few_distinct(text_array(pd.Series(ids[order], dtype="str")))
    known = [f"G{i:03d}" for i in range(0, 500, 2)] + [f"G{i:03d}" for i in range(1, 400, 2)]
    for extend in (False, True):
        grouped, shuffled = Labels(known), Labels(known)
        by_group = grouped.codes(pd.Series(ids, dtype="str"), extend=extend)
        by_row = shuffled.codes(pd.Series(ids[order], dtype="str"), extend=extend)
        # the same value gets the same code, or -1 when it is missing (or new, unless extended)
        named = [grouped.values[c] if c >= 0 else None for c in by_group[order]]
        assert named == [shuffled.values[c] if c >= 0 else None for c in by_row]
        if extend:
            assert named == list(ids[order])
            assert grouped.values[: len(known)] == known and len(grouped.values) == 500 + 1
        else:
            assert by_group.tolist() == [known.index(v) if v in known else -1 for v in ids]


def test_order_years_of_dates_text_and_missing() -> None:
    when = pd.Series(np.array(["2024-12-31T23:59", "NaT", "0001-01-01"], dtype="datetime64[us]"))
    assert order_years(when).tolist() == [2024, 0, 1]
    assert order_years(pd.Series(["2023-05-01", "soon"])).tolist() == [2023, 0]
    aware = pd.Series(pd.to_datetime(["2024-01-01 00:30+08:00"]))
    assert order_years(aware).tolist() == [2024]


@pytest.mark.parametrize("spread", [1, 10**9])
def test_sum_by_counts_every_distinct_row(spread: int) -> None:
    rng = np.random.default_rng(7)
    keys = [rng.integers(0, 50, 5000) * spread, rng.integers(0, 6, 5000), rng.integers(0, 3, 5000)]
    weights = rng.integers(1, 9, 5000)
    frame = pd.DataFrame({"g": keys[0], "k": keys[1], "y": keys[2], "w": weights})
    for w, expected in (
        (None, frame.groupby(["g", "k", "y"]).size()),
        (weights, frame.groupby(["g", "k", "y"])["w"].sum()),
    ):
        found, total = _sum_by(keys, None if w is None else w.astype(np.float64))
        got = pd.Series(total, index=pd.MultiIndex.from_arrays(found, names=["g", "k", "y"]))
        pd.testing.assert_series_equal(
            got.sort_index(), expected.astype(np.int64), check_names=False
        )


def test_tally_over_chunks_equals_counting_at_once() -> None:
    rng = np.random.default_rng(3)
    n = 3000
    orders = pd.DataFrame(
        {
            "grid_id": rng.choice(["0101", "0102", "0103", "0201"], n),
            "category": rng.choice(["elderly_care", "disputes_mediation"], n),
            "created_at": pd.to_datetime("2023-06-01")
            + pd.to_timedelta(rng.integers(0, 400, n), "D"),
        }
    )
    tally = CountTally(Labels(["0101", "0102", "0103", "0201"]), Labels())
    for start in range(0, n, 700):
        part = orders.iloc[start : start + 700]
        tally.add(
            tally.grids.codes(part["grid_id"]),
            tally.categories.codes(part["category"]),
            order_years(part["created_at"]),
        )
    counts = tally.result()
    pd.testing.assert_frame_equal(counts, count_orders(orders))
    by_hand = orders.groupby(["grid_id", "category", orders["created_at"].dt.year]).size()
    assert counts["count"].tolist() == by_hand.tolist()
    assert counts["year"].astype(int).tolist() == by_hand.index.get_level_values(2).tolist()
    assert counts["count"].sum() == n


def test_rows_without_grid_or_category_are_not_counted() -> None:
    orders = pd.DataFrame(
        {
            "grid_id": pd.Series(["0101", None, "0101", "0102"], dtype="str"),
            "category": pd.Series(["noise", "noise", None, "noise"], dtype="str"),
            "created_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-01", None]),
        }
    )
    counts = count_orders(orders)
    assert counts.astype(object).where(counts.notna(), None).values.tolist() == [
        ["0101", "noise", 2024, 1],
        ["0102", "noise", None, 1],
    ]
