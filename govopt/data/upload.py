"""Turn uploaded files into a dataset folder under the app's data directory.

Accepts a zip of the dataset folder, or the files one by one as ``(name, bytes)``.
Sizes, counts and names are checked before anything is written; zip members
can never land outside the new folder; the files are written to a hidden
staging folder that becomes ``upload-<content hash>`` only once complete, so a
refused or broken upload leaves nothing behind and the same files uploaded
again reuse the same folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from govopt.data.errors import DataError, Problem, problem
from govopt.data.io import MAX_UNPACKED_BYTES, READ_SUFFIXES, ZIP_READ_ERRORS

__all__ = [
    "ALLOWED_SUFFIXES",
    "MAX_DEPTH",
    "MAX_FILES",
    "MAX_LOOSE_FILES",
    "MAX_NAME_BYTES",
    "MAX_UPLOAD_BYTES",
    "save_upload",
    "upload_id",
    "upload_types",
    "uploaded_datasets",
    "uploads_dir",
]

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_FILES = 200
MAX_LOOSE_FILES = 20
MAX_NAME_BYTES = 255
MAX_DEPTH = 8
ALLOWED_SUFFIXES: tuple[str, ...] = (*READ_SUFFIXES, ".json", ".md", ".txt")
"""What the reader reads, plus notes (``README.txt``) that may travel with a dataset."""

_SAFE_NAME = re.compile(r"^[\w][\w.\- ()（）]*$")
_SAFE_FOLDER = re.compile(r'^[^\x00-\x1f/\\:*?"<>|]+$')
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_CHUNK = 1 << 20
_STAGING = ".partial-"
_UPLOAD_PREFIX = "upload-"


def uploads_dir(home: Path) -> Path:
    """Folder holding one sub-folder per upload."""
    return home / "datasets"


def uploaded_datasets(home: Path) -> dict[str, Path]:
    """Every finished upload under ``uploads_dir(home)``: its folder name and dataset folder.

    The folder name (``upload-<content hash>``) is the upload's id; names
    are listed from the folder, never built from what is asked for.
    """
    try:
        entries = sorted(uploads_dir(home).iterdir())
    except OSError:
        return {}
    found: dict[str, Path] = {}
    for entry in entries:
        if entry.name.startswith(_UPLOAD_PREFIX) and entry.is_dir() and not entry.is_symlink():
            try:
                found[entry.name] = _dataset_root(entry)
            except OSError:
                continue
    return found


def upload_id(home: Path, folder: Path) -> str | None:
    """The id of the upload that holds ``folder`` (``None`` when it is not an upload)."""
    try:
        rel = Path(folder).resolve().relative_to(uploads_dir(home).resolve())
    except ValueError:
        return None
    first = rel.parts[0] if rel.parts else ""
    return first if first.startswith(_UPLOAD_PREFIX) else None


def upload_types() -> tuple[str, ...]:
    """Extensions for a file picker: every allowed suffix, and the last part of ``.csv.gz``."""
    out: list[str] = []
    for suffix in ALLOWED_SUFFIXES:
        for ext in (suffix.lstrip("."), suffix.rsplit(".", 1)[-1]):
            if ext not in out:
                out.append(ext)
    return tuple(out)


def _too_big(name: str, size: int, limit: int) -> DataError:
    return DataError([problem(name, code="too_large", size_bytes=size, limit_bytes=limit)])


def _allowed(name: str) -> bool:
    return name.lower().endswith(ALLOWED_SUFFIXES)


def _check_name(name: str) -> Problem | None:
    base = PurePosixPath(name.replace("\\", "/")).name
    if len(base.encode("utf-8")) > MAX_NAME_BYTES:
        return problem(_shown(name), code="bad_file_name", variant="too_long", limit=MAX_NAME_BYTES)
    if not base or not _SAFE_NAME.match(base):
        return problem(name, code="bad_file_name", variant="characters")
    if not _allowed(base):
        return problem(name, code="bad_file_name", variant="suffix", suffixes=ALLOWED_SUFFIXES)
    return None


def _member_path(name: str) -> PurePosixPath | None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or re.match(r"^[A-Za-z]:", name):
        return None
    return p


def _shown(name: str) -> str:
    return name if len(name) <= 200 else name[:200] + "…"


def _member_problem(m: zipfile.ZipInfo, rel: PurePosixPath | None) -> Problem | None:
    """Why one zip entry cannot be unpacked safely, if it cannot."""
    if rel is None:
        return problem(m.filename, code="bad_file_name", variant="outside")
    if m.flag_bits & 0x1:
        return problem(m.filename, code="zip_encrypted")
    if m.compress_type not in _ZIP_METHODS:
        return problem(m.filename, code="zip_compression", method=m.compress_type)
    if len(rel.parts) - 1 > MAX_DEPTH:
        return problem(
            _shown(m.filename),
            code="bad_file_name",
            variant="too_deep",
            depth=len(rel.parts) - 1,
            limit=MAX_DEPTH,
        )
    for part in rel.parts[:-1]:
        if len(part.encode("utf-8")) > MAX_NAME_BYTES:
            return problem(
                _shown(m.filename),
                code="bad_file_name",
                variant="too_long",
                limit=MAX_NAME_BYTES,
            )
        if not _SAFE_FOLDER.match(part):
            return problem(m.filename, code="bad_file_name", variant="characters")
    return _check_name(rel.name)


def _plan_zip(
    archive: zipfile.ZipFile, name: str, limit: int
) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """The entries to unpack, each checked; raises before anything is written."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    members = [m for m in members if not PurePosixPath(m.filename).name.startswith(".")]
    members = [m for m in members if "__MACOSX" not in m.filename]
    total = sum(m.file_size for m in members)
    if total > limit:
        raise _too_big(name, total, limit)
    if len(members) > MAX_FILES:
        raise DataError(
            [
                problem(
                    name, code="bad_file_name", variant="too_many", n=len(members), limit=MAX_FILES
                )
            ]
        )
    problems: list[Problem] = []
    targets: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    seen: set[str] = set()
    for m in members:
        rel = _member_path(m.filename)
        found = _member_problem(m, rel)
        if found is None and rel is not None:
            key = rel.as_posix().casefold()
            if key in seen:
                found = problem(m.filename, code="bad_file_name", variant="duplicate")
            seen.add(key)
        if found is not None:
            problems.append(found)
        elif rel is not None:
            targets.append((m, rel))
    if problems:
        raise DataError(problems)
    return targets


def _extract_zip(data: bytes, name: str, folder: Path, limit: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_READ_ERRORS:
        raise DataError([problem(name, code="bad_zip")]) from None
    with archive:
        targets = _plan_zip(archive, name, limit)
        base = folder.resolve()
        written = 0
        for m, rel in targets:
            dest = (folder / Path(*rel.parts)).resolve()
            if not dest.is_relative_to(base):
                raise DataError([problem(m.filename, code="bad_file_name", variant="outside")])
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(m) as src, open(dest, "xb") as out:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        if written > limit:
                            raise _too_big(name, written, limit)
                        out.write(chunk)
            except ZIP_READ_ERRORS as exc:
                why = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
                raise DataError([problem(m.filename, code="zip_member_broken", why=why)]) from None


def _dataset_root(folder: Path) -> Path:
    """The folder itself, or its only sub-folder when the zip wrapped the files in one."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        return _dataset_root(entries[0])
    return folder


def _content_key(files: Sequence[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files, key=lambda f: f[0]):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def _remove_tree(folder: Path) -> None:
    if not folder.exists():
        return
    for p in sorted(folder.rglob("*"), key=lambda q: len(q.parts), reverse=True):
        if p.is_dir() and not p.is_symlink():
            p.rmdir()
        else:
            p.unlink()
    folder.rmdir()


def _check_files(files: Sequence[tuple[str, bytes]], max_bytes: int) -> bool:
    """Refuse an empty, over-size or badly named upload; whether it is one dataset zip."""
    if not files:
        raise DataError([problem("upload", code="no_files")])
    total = sum(len(data) for _, data in files)
    if total > max_bytes:
        biggest = max(files, key=lambda f: len(f[1]))[0]
        raise _too_big(biggest if len(files) == 1 else "upload", total, max_bytes)
    if len(files) == 1 and files[0][0].lower().endswith(".zip") and not _is_grids_zip(files[0][0]):
        return True
    if len(files) > MAX_LOOSE_FILES:
        raise DataError(
            [problem("upload", code="too_many_files", n=len(files), limit=MAX_LOOSE_FILES)]
        )
    problems = [p for p in (_check_name(name) for name, _ in files) if p is not None]
    names = [PurePosixPath(name.replace("\\", "/")).name for name, _ in files]
    dupes = sorted({n for n in names if names.count(n) > 1})
    problems += [problem(n, code="bad_file_name", variant="twice") for n in dupes]
    if problems:
        raise DataError(problems)
    return False


def save_upload(
    files: Sequence[tuple[str, bytes]], home: Path, *, max_bytes: int = MAX_UPLOAD_BYTES
) -> Path:
    """Write uploaded files to ``uploads_dir(home)/upload-<hash>``; return the dataset folder.

    Parameters
    ----------
    files : sequence of (name, bytes)
        One ``.zip`` of the dataset folder, or the dataset's files one by one
        (at most ``MAX_LOOSE_FILES``).
    home : pathlib.Path
        The app's data directory (``GOVOPT_HOME``).
    max_bytes : int
        Largest total size accepted, uploaded or unzipped.

    Returns
    -------
    pathlib.Path
        The dataset folder; the same files uploaded again give the same folder.

    Raises
    ------
    DataError
        Nothing uploaded, too large, too many files, a bad or broken zip
        (password, unknown compression, duplicate or over-long entries), or
        unusable file names; every problem names the file and what to do.
        Nothing is left under ``uploads_dir(home)`` then.
    """
    zipped = _check_files(files, max_bytes)
    root = uploads_dir(home)
    final = root / f"{_UPLOAD_PREFIX}{_content_key(files)}"
    if final.is_dir():
        return _dataset_root(final)
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = root / f"{_STAGING}{secrets.token_hex(6)}"
        staging.mkdir()
    except OSError as exc:
        raise DataError([problem("upload", code="upload_not_saved", why=str(exc))]) from None
    try:
        if zipped:
            _extract_zip(files[0][1], files[0][0], staging, max_bytes)
        else:
            for name, data in files:
                with open(staging / PurePosixPath(name.replace("\\", "/")).name, "xb") as out:
                    out.write(data)
        _check_gz_sizes(staging)
        try:
            os.rename(staging, final)
        except OSError:
            if not final.is_dir():
                raise
            _remove_tree(staging)
    except OSError as exc:
        _remove_tree(staging)
        raise DataError([problem("upload", code="upload_not_saved", why=str(exc))]) from None
    except BaseException:
        _remove_tree(staging)
        raise
    return _dataset_root(final)


def _gz_fits(path: Path, limit: int) -> bool:
    """Whether the gzip file ``path`` (every member) unpacks to at most ``limit`` bytes."""
    total = 0
    unpack = zlib.decompressobj(wbits=31)
    with open(path, "rb") as src:
        while chunk := src.read(1 << 20):
            while chunk:
                total += len(unpack.decompress(chunk, 1 << 24))
                if total > limit:
                    return False
                if unpack.eof:
                    chunk, unpack = unpack.unused_data, zlib.decompressobj(wbits=31)
                else:
                    chunk = unpack.unconsumed_tail
    return True


def _check_gz_sizes(folder: Path) -> None:
    """Refuse an uploaded ``.gz`` (loose or zipped) that unpacks past ``MAX_UNPACKED_BYTES``.

    A local log may be larger (it is read as a stream); an upload is checked
    before it is kept, so a small file that unpacks to gigabytes never reaches
    the dashboard's reader.
    """
    for path in sorted(folder.rglob("*.gz")):
        try:
            fits = _gz_fits(path, MAX_UNPACKED_BYTES)
        except (OSError, zlib.error, EOFError):
            continue  # the reader reports a broken gzip by name
        if not fits:
            raise DataError(
                [
                    problem(
                        path.name,
                        code="file_too_large",
                        variant="unpacked",
                        limit_bytes=MAX_UNPACKED_BYTES,
                    )
                ]
            )


def _is_grids_zip(name: str) -> bool:
    """A zipped Shapefile of the grids, uploaded next to the other files."""
    return PurePosixPath(name).stem.lower() == "grids"
