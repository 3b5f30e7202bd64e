"""Work orders read chunk by chunk into counts, and the counts file that can stand in for them."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest
from conftest import WORK_ORDERS_CSV

import govopt.data.io as gio
from govopt.analysis.demand import demand_hours
from govopt.analysis.overview import district_kpis, street_table
from govopt.cli import main
from govopt.data.dataset import Dataset
from govopt.data.io import write_dataset
from govopt.data.orders import count_orders
from govopt.data.validate import load_dataset, read_work_orders, validate_folder
from govopt.output.problem_text import describe_problem, problem_message

HEADER, *ROWS = WORK_ORDERS_CSV.splitlines()
GRIDS = ("0101", "0102", "0103", "0201", "0202", "0203")
CATEGORIES = ("elderly_care", "disputes_mediation", "sanitation_environment")


def _log(n: int) -> list[str]:
    """``n`` valid orders spread over the tiny dataset's grids and categories."""
    return [
        f"WO{i:06d},{GRIDS[i % 6]},{CATEGORIES[i % 3]},2024-0{1 + i % 9}-05 08:30:00,,4"
        for i in range(1, n + 1)
    ]


def _write_log(folder: Path, rows: list[str], name: str = "work_orders.csv") -> bytes:
    (folder / "work_orders.csv").unlink(missing_ok=True)
    data = ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")
    path = folder / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return data


def _errors(folder: Path) -> list[tuple[str, str | None, int | None, str]]:
    report = validate_folder(folder)
    return [(p.code, p.column, p.row, p.severity) for p in report.problems]


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Read CSV in blocks of 512 bytes: a 1,000-row log comes in about 120 chunks."""
    monkeypatch.setattr(gio, "_BLOCK", 512)
    return 512


def test_the_log_is_read_in_many_chunks(tiny_dataset_dir: Path, small_blocks: int) -> None:
    _write_log(tiny_dataset_dir, _log(1000))
    raw = gio.read_folder(tiny_dataset_dir)
    problems: list[gio.Problem] = []
    chunks = list(raw.streams["work_orders"].chunks(problems))
    assert problems == [] and len(chunks) > 50
    assert [int(c.index[0]) for c in chunks[:2]] == [0, len(chunks[0])]
    assert sum(len(c) for c in chunks) == 1000
    assert load_dataset(tiny_dataset_dir).orders_total == 1000


def _spanning_row(rows: list[str], boundary: int) -> int:
    """The data row (1-based) whose text holds byte ``boundary`` of the file."""
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    return data[:boundary].count(b"\n")


@pytest.mark.parametrize("block", [1, 2, 17, 100])
def test_bad_cell_in_a_row_cut_by_a_chunk_boundary_is_located(
    tiny_dataset_dir: Path, small_blocks: int, block: int
) -> None:
    rows = _log(1000)
    bad_row = _spanning_row(rows, block * small_blocks)
    rows[bad_row - 1] = rows[bad_row - 1].replace("2024-", "soon-")
    rows[bad_row] = rows[bad_row].replace(",4", ",four")
    _write_log(tiny_dataset_dir, rows)
    sizes = [len(c) for c in _chunks(tiny_dataset_dir)]
    assert len(sizes) > block
    found = {p[0]: p for p in _errors(tiny_dataset_dir)}
    assert found["bad_datetime"][1:3] == ("created_at", bad_row)
    assert found["not_a_number"][1:3] == ("satisfaction", bad_row + 1)


def _chunks(folder: Path) -> list[pd.DataFrame]:
    return list(gio.read_folder(folder).streams["work_orders"].chunks([]))


def test_a_row_cut_by_a_chunk_boundary_with_a_cell_too_many_is_located(
    tiny_dataset_dir: Path, small_blocks: int
) -> None:
    rows = _log(1000)
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    # the row that spans the second block boundary gets an extra cell
    line = _spanning_row(rows, 2 * small_blocks)
    assert data[2 * small_blocks - 1 : 2 * small_blocks + 1].count(b"\n") == 0
    rows[line - 1] += ",extra"
    _write_log(tiny_dataset_dir, rows)
    report = validate_folder(tiny_dataset_dir)
    (p,) = [p for p in report.errors if p.code == "bad_row_length"]
    assert p.row == line
    assert "7" in problem_message(p) and "6" in problem_message(p)


def test_duplicate_ids_in_different_chunks_are_found_exactly(
    tiny_dataset_dir: Path, small_blocks: int
) -> None:
    rows = _log(1000)
    rows[899] = rows[9].split(",", 1)[0] + "," + rows[899].split(",", 1)[1]
    rows[949] = rows[19].split(",", 1)[0] + "," + rows[949].split(",", 1)[1]
    _write_log(tiny_dataset_dir, rows)
    (p,) = [p for p in validate_folder(tiny_dataset_dir).errors]
    assert (p.code, p.column, p.row) == ("duplicate_id", "order_id", 900)
    assert p.params["count"] == 2 and p.params["rows"] == (900, 950)
    assert "'WO000010'" in problem_message(p)


def test_problems_of_many_chunks_are_capped_like_one_file(
    tiny_dataset_dir: Path, small_blocks: int
) -> None:
    rows = [r.replace(",0101,", ",9999,") for r in _log(1000)]
    _write_log(tiny_dataset_dir, rows)
    report = validate_folder(tiny_dataset_dir)
    (p,) = [p for p in report.problems if p.code == "unknown_grid"]
    assert p.severity == "warning" and p.params["count"] == 166
    assert p.params["rows"] == (6, 12, 18, 24, 30) and p.row == 6
    assert load_dataset(tiny_dataset_dir).orders_total == 1000 - 166


def test_unknown_grids_of_a_log_are_one_warning_with_their_rows_and_examples(
    tiny_dataset_dir: Path, small_blocks: int
) -> None:
    rows = _log(1000)
    unknown = {7: "X1", 8: "X2", 400: "X3", 401: "X4", 999: "X1"}
    for i, grid in unknown.items():
        cells = rows[i - 1].split(",")
        rows[i - 1] = ",".join([cells[0], grid, *cells[2:]])
    _write_log(tiny_dataset_dir, rows)
    report = validate_folder(tiny_dataset_dir)
    assert report.ok
    (p,) = [p for p in report.problems if p.code == "unknown_grid"]
    assert (p.file, p.column, p.row, p.severity) == ("work_orders.csv", "grid_id", 7, "warning")
    assert p.params["count"] == 5 and p.params["rows"] == (7, 8, 400, 401, 999)
    assert p.params["values"] == "'X1', 'X2'"
    assert "'X1'" in describe_problem(p, "en") and "'X1'" in describe_problem(p, "zh")
    ds = load_dataset(tiny_dataset_dir)
    assert ds.orders_total == 995
    kept = read_work_orders(tiny_dataset_dir)
    assert len(kept) == 995 and not kept["grid_id"].isin(["X1", "X2", "X3", "X4"]).any()
    pd.testing.assert_frame_equal(ds.work_order_counts, count_orders(kept))


def test_rows_of_the_wrong_length_in_many_chunks_are_located(
    tiny_dataset_dir: Path, small_blocks: int
) -> None:
    rows = _log(1000)
    rows[99] += ",extra"
    rows[799] = rows[799].rsplit(",", 2)[0]
    _write_log(tiny_dataset_dir, rows)
    (p,) = [p for p in validate_folder(tiny_dataset_dir).errors if p.code == "bad_row_length"]
    assert (p.row, p.params["n"], p.params["actual"], p.params["expected"]) == (100, 2, 7, 6)


def test_gz_log_is_streamed_and_stopped_at_the_unpacked_limit(
    tiny_dataset_dir: Path, monkeypatch: pytest.MonkeyPatch, small_blocks: int
) -> None:
    data = _write_log(tiny_dataset_dir, _log(1000), "work_orders.csv.gz")
    assert load_dataset(tiny_dataset_dir).orders_total == 1000
    monkeypatch.setattr(gio, "MAX_STREAMED_BYTES", len(data) - 1)
    report = validate_folder(tiny_dataset_dir)
    (p,) = report.errors
    assert (p.code, p.file) == ("file_too_large", "work_orders.csv.gz")
    assert "unpacks to more than" in problem_message(p)
    monkeypatch.setattr(gio, "MAX_STREAMED_BYTES", len(data))
    assert validate_folder(tiny_dataset_dir).ok


def test_a_local_log_over_the_file_limit_is_read(
    tiny_dataset_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _write_log(tiny_dataset_dir, _log(2000))
    monkeypatch.setattr(gio, "MAX_FILE_BYTES", len(data) // 10)
    assert load_dataset(tiny_dataset_dir).orders_total == 2000


def test_gb18030_log_is_streamed(tiny_dataset_dir: Path, small_blocks: int) -> None:
    rows = [r.replace("elderly_care", "长者服务") for r in _log(300)]
    (tiny_dataset_dir / "work_orders.csv").write_bytes(
        ("\n".join([HEADER, *rows]) + "\n").encode("gb18030")
    )
    for name in ("standards.csv", "social_orgs.csv"):
        text = (tiny_dataset_dir / name).read_text(encoding="utf-8")
        (tiny_dataset_dir / name).write_text(text.replace("elderly_care", "长者服务"), "utf-8")
    counts = load_dataset(tiny_dataset_dir).work_order_counts
    assert counts.loc[counts["category"] == "长者服务", "count"].sum() == 100


# ----- the counts file ------------------------------------------------------------


def test_counts_file_round_trips(tiny_dataset: Dataset, tmp_path: Path) -> None:
    write_dataset(tiny_dataset, tmp_path / "out")
    assert (
        (tmp_path / "out" / "work_order_counts.csv")
        .read_bytes()
        .startswith(b"\xef\xbb\xbfgrid_id,category,year,count\n")
    )
    back = load_dataset(tmp_path / "out")
    pd.testing.assert_frame_equal(back.work_order_counts, tiny_dataset.work_order_counts)
    assert back.work_order_counts["grid_id"].dtype == "category"
    assert back.orders_total == 10


def test_demand_from_the_log_equals_demand_from_its_counts(
    tiny_dataset_dir: Path, tmp_path: Path
) -> None:
    _write_log(tiny_dataset_dir, _log(600))
    from_log = load_dataset(tiny_dataset_dir)
    counts = count_orders(read_work_orders(tiny_dataset_dir))
    (tiny_dataset_dir / "work_orders.csv").unlink()
    frame = counts.assign(year=counts["year"].astype("Int64"))
    frame.to_csv(tiny_dataset_dir / "work_order_counts.csv", index=False)
    from_counts = load_dataset(tiny_dataset_dir)
    pd.testing.assert_frame_equal(demand_hours(from_log), demand_hours(from_counts))
    pd.testing.assert_frame_equal(street_table(from_log), street_table(from_counts))
    assert district_kpis(from_counts).work_orders == 600
    assert from_counts.orders_total == from_log.orders_total == 600


def _counts_dir(folder: Path, text: str) -> Path:
    (folder / "work_orders.csv").unlink()
    (folder / "work_order_counts.csv").write_text(text, encoding="utf-8")
    return folder


def test_counts_without_year_add_up_rows_of_the_same_grid(tiny_dataset_dir: Path) -> None:
    text = (
        "grid_id,category,count\n"
        "0101,elderly_care,3\n0101,elderly_care,4\n0102,disputes_mediation,0\n"
    )
    ds = load_dataset(_counts_dir(tiny_dataset_dir, text))
    assert ds.work_order_counts[["grid_id", "count"]].astype(str).values.tolist() == [["0101", "7"]]
    assert ds.work_order_counts["year"].isna().all()
    assert demand_hours(ds).loc["0101", "elderly_care"] == pytest.approx(
        1000 * 0.2 + 200 * 2 + 7 * 3
    )


@pytest.mark.parametrize(
    ("cell", "code", "en", "zh"),
    [
        ("-3", "below_minimum", "negative", "负"),
        ("2.5", "not_whole", "whole", "整数"),
        ("many", "not_a_number", "not a number", "数"),
        ("2000000", "above_maximum", "1,000,000", "1,000,000"),
    ],
)
def test_bad_counts_are_located_in_both_languages(
    tiny_dataset_dir: Path, cell: str, code: str, en: str, zh: str
) -> None:
    text = f"grid_id,category,count,year\n0101,elderly_care,2,2024\n0102,elderly_care,{cell},2024\n"
    _counts_dir(tiny_dataset_dir, text)
    (p,) = validate_folder(tiny_dataset_dir).errors
    assert (p.file, p.row, p.column, p.code) == ("work_order_counts.csv", 2, "count", code)
    assert en in describe_problem(p, "en")
    assert zh in describe_problem(p, "zh")


def test_counts_of_unknown_category_or_grid(tiny_dataset_dir: Path) -> None:
    text = "grid_id,category,count\n0101,noise,2\n9999,elderly_care,5\n0102,elderly_care,1\n"
    _counts_dir(tiny_dataset_dir, text)
    report = validate_folder(tiny_dataset_dir)
    (err,) = report.errors
    assert (err.code, err.row, err.column) == ("unknown_category", 1, "category")
    assert "'noise'" in describe_problem(err, "en") and "'noise'" in describe_problem(err, "zh")
    (warn,) = [p for p in report.warnings if p.code == "unknown_grid"]
    assert (warn.row, warn.column, warn.file) == (2, "grid_id", "work_order_counts.csv")
    text = "grid_id,category,count\n9999,elderly_care,5\n0102,elderly_care,1\n"
    (tiny_dataset_dir / "work_order_counts.csv").write_text(text, encoding="utf-8")
    assert load_dataset(tiny_dataset_dir).orders_total == 1


def test_missing_count_column_is_named(tiny_dataset_dir: Path) -> None:
    _counts_dir(tiny_dataset_dir, "grid_id,category,orders\n0101,elderly_care,2\n")
    (p,) = validate_folder(tiny_dataset_dir).errors
    assert (p.code, p.column) == ("missing_column", "count")
    assert "orders" in describe_problem(p, "en")


def test_log_and_counts_both_present_uses_the_log_and_says_so(tiny_dataset_dir: Path) -> None:
    (tiny_dataset_dir / "work_order_counts.csv").write_text(
        "grid_id,category,count\n0101,elderly_care,500\n", encoding="utf-8"
    )
    report = validate_folder(tiny_dataset_dir)
    assert report.ok
    (p,) = [p for p in report.warnings if p.code == "several_files"]
    assert p.file == "work_order_counts.csv"
    assert describe_problem(p, "en").startswith(
        "work_order_counts.csv: both the work-order log work_orders.csv and the counts"
    )
    assert "使用明细，忽略汇总" in describe_problem(p, "zh")
    assert load_dataset(tiny_dataset_dir).orders_total == 10


def test_cli_solve_reads_a_counts_only_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "district"
    assert main(["sample", str(folder), "--grids", "40", "--counts-only"]) == 0
    assert main(["validate", str(folder)]) == 0
    assert "Traceback" not in capsys.readouterr().err
