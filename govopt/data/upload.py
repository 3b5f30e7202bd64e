"""Turn uploaded files into a new dataset folder under the app's data directory.

Accepts a zip of the dataset folder, or the files one by one as ``(name, bytes)``.
Sizes are checked before anything is written, zip members can never land
outside the new folder, and an existing folder is never written into.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from govopt.data.errors import DataError, Problem, problem

__all__ = ["ALLOWED_SUFFIXES", "MAX_FILES", "MAX_UPLOAD_BYTES", "save_upload", "uploads_dir"]

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_FILES = 200
ALLOWED_SUFFIXES: tuple[str, ...] = (
    ".csv",
    ".geojson",
    ".json",
    ".gpkg",
    ".toml",
    ".shp",
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".zip",
    ".md",
    ".txt",
)
_SAFE_NAME = re.compile(r"^[\w][\w.\- ()（）]*$")


def uploads_dir(home: Path) -> Path:
    """Folder holding one sub-folder per upload."""
    return home / "datasets"


def _too_big(name: str, size: int, limit: int) -> DataError:
    mb = 1024 * 1024
    return DataError([problem(name, code="too_large", size=size / mb, limit=limit / mb)])


def _check_name(name: str) -> Problem | None:
    base = PurePosixPath(name.replace("\\", "/")).name
    if not base or not _SAFE_NAME.match(base):
        return problem(name, code="bad_file_name", variant="characters")
    if PurePosixPath(base).suffix.lower() not in ALLOWED_SUFFIXES:
        return problem(name, code="bad_file_name", variant="suffix", suffixes=ALLOWED_SUFFIXES)
    return None


def _new_folder(home: Path) -> Path:
    root = uploads_dir(home)
    root.mkdir(parents=True, exist_ok=True)
    while True:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        folder = root / f"upload-{stamp}-{secrets.token_hex(3)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def _member_path(name: str) -> PurePosixPath | None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or re.match(r"^[A-Za-z]:", name):
        return None
    return p


def _extract_zip(data: bytes, name: str, folder: Path, limit: int) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DataError([problem(name, code="bad_zip")]) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        members = [m for m in members if not PurePosixPath(m.filename).name.startswith(".")]
        members = [m for m in members if "__MACOSX" not in m.filename]
        total = sum(m.file_size for m in members)
        if total > limit:
            raise _too_big(name, total, limit)
        if len(members) > MAX_FILES:
            raise DataError(
                [problem(name, code="bad_file_name", variant="too_many", n=len(members))]
            )
        problems: list[Problem] = []
        targets: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        for m in members:
            rel = _member_path(m.filename)
            if rel is None:
                problems.append(problem(m.filename, code="bad_file_name", variant="outside"))
                continue
            found = _check_name(rel.name)
            if found is not None:
                problems.append(found)
                continue
            targets.append((m, rel))
        if problems:
            raise DataError(problems)
        base = folder.resolve()
        written = 0
        for m, rel in targets:
            dest = (folder / Path(*rel.parts)).resolve()
            if not dest.is_relative_to(base):
                raise DataError([problem(m.filename, code="bad_file_name", variant="outside")])
            dest.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(m) as src, open(dest, "xb") as out:
                chunk = src.read(limit - written + 1)
                written += len(chunk)
                if written > limit:
                    raise _too_big(name, written, limit)
                out.write(chunk)
    return _dataset_root(folder)


def _dataset_root(folder: Path) -> Path:
    """The folder itself, or its only sub-folder when the zip wrapped the files in one."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        return _dataset_root(entries[0])
    return folder


def save_upload(
    files: Sequence[tuple[str, bytes]], home: Path, *, max_bytes: int = MAX_UPLOAD_BYTES
) -> Path:
    """Write uploaded files to a new folder under ``uploads_dir(home)``; return the dataset folder.

    Parameters
    ----------
    files : sequence of (name, bytes)
        One ``.zip`` of the dataset folder, or the dataset's files one by one.
    home : pathlib.Path
        The app's data directory (``GOVOPT_HOME``).
    max_bytes : int
        Largest total size accepted, uploaded or unzipped.

    Raises
    ------
    DataError
        Nothing uploaded, too large, a bad zip, or unusable file names; every
        problem names the file and what to do. Nothing is written then.
    """
    if not files:
        raise DataError([problem("upload", code="no_files")])
    total = sum(len(data) for _, data in files)
    if total > max_bytes:
        biggest = max(files, key=lambda f: len(f[1]))[0]
        raise _too_big(biggest if len(files) == 1 else "upload", total, max_bytes)
    if len(files) == 1 and files[0][0].lower().endswith(".zip") and not _is_grids_zip(files[0][0]):
        folder = _new_folder(home)
        try:
            return _extract_zip(files[0][1], files[0][0], folder, max_bytes)
        except DataError:
            _remove_tree(folder)
            raise
    problems = [p for p in (_check_name(name) for name, _ in files) if p is not None]
    names = [PurePosixPath(name.replace("\\", "/")).name for name, _ in files]
    dupes = sorted({n for n in names if names.count(n) > 1})
    problems += [problem(n, code="bad_file_name", variant="twice") for n in dupes]
    if problems:
        raise DataError(problems)
    folder = _new_folder(home)
    for name, (_, data) in zip(names, files, strict=True):
        with open(folder / name, "xb") as out:
            out.write(data)
    return folder


def _is_grids_zip(name: str) -> bool:
    """A zipped Shapefile of the grids, uploaded next to the other files."""
    return PurePosixPath(name).stem.lower() == "grids"


def _remove_tree(folder: Path) -> None:
    for p in sorted(folder.rglob("*"), key=lambda q: len(q.parts), reverse=True):
        if p.is_dir():
            p.rmdir()
        else:
            p.unlink()
    folder.rmdir()
