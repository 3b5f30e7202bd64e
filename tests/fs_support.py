"""Making a folder really read-only in a test, for root (CI) and for other users."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = ["read_only", "snapshot"]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` and its files cannot be written, created in or deleted while inside.

    Other users get the write bits removed; root, whom permission bits do not
    stop, gets the immutable attribute (``chattr +i``). Skips the test when
    neither is possible on this file system.
    """
    paths = [folder, *sorted(folder.rglob("*"))]
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(stat.S_IMODE(modes[p]) & ~0o222)
        try:
            yield
        finally:
            for p in paths:
                p.chmod(stat.S_IMODE(modes[p]))
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr is missing: cannot make a folder read-only for root")
    names = [str(p) for p in paths]
    done = subprocess.run([chattr, "+i", *names], capture_output=True, check=False)
    if done.returncode != 0:
        subprocess.run([chattr, "-i", *names], capture_output=True, check=False)
        pytest.skip(f"chattr +i is not possible here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", *names], capture_output=True, check=True)
