"""Text columns read through their Arrow buffers: id hashes, and a quick look for NUL.

The hashes find duplicate ids in a long log: a hash only marks suspects, ids
whose hash came earlier are compared exactly afterwards, so a rare collision
costs a second look, never a false problem. The quick look tells when a
column needs no slower exact search for NUL characters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["has_nul", "id_hashes", "text_array", "text_bytes"]

_SEED = np.uint64(0x243F6A8885A308D3)
_STEP = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_NO_BYTES = np.zeros(0, dtype=np.uint8)
_MASKS = np.array([(1 << (8 * b)) - 1 for b in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


def text_array(values: pd.Series | pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """``values`` as an Arrow ``large_string`` chunked array (zero-copy when already Arrow text)."""
    if isinstance(values, pd.Series):
        values = pa.array(values, from_pandas=True)
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values])
    if values.type != pa.large_string():
        values = values.cast(pa.large_string())
    return values


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets of a ``large_string`` array and the bytes they point into (from offset 0)."""
    _, offsets_buf, data_buf = arr.buffers()
    if offsets_buf is None:
        return np.zeros(len(arr) + 1, dtype=np.int64), _NO_BYTES
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    first, last = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(data_buf, dtype=np.uint8)[first:last] if last > first else _NO_BYTES
    return offsets - first, data


def text_bytes(values: pd.Series | pa.Array | pa.ChunkedArray) -> int:
    """The number of UTF-8 bytes of all the texts of ``values``."""
    return sum(len(_buffers(c)[1]) for c in text_array(values).chunks)


def has_nul(values: pd.Series | pa.Array | pa.ChunkedArray) -> bool:
    """Whether any text of ``values`` holds a NUL character."""
    return any(not _buffers(c)[1].all() for c in text_array(values).chunks)


def _fmix(h: np.ndarray) -> np.ndarray:
    h ^= h >> np.uint64(33)
    h *= _MIX1
    h ^= h >> np.uint64(33)
    h *= _MIX2
    h ^= h >> np.uint64(33)
    return h


def _chunk_hashes(arr: pa.Array) -> np.ndarray:
    offsets, data = _buffers(arr)
    lengths = np.diff(offsets)
    h = lengths.astype(np.uint64) * _STEP + _SEED
    if len(data):
        padded = np.zeros(len(data) + 8, dtype=np.uint8)
        padded[: len(data)] = data
        words = np.ndarray((len(data) + 1,), dtype="<u8", buffer=padded, strides=(1,))
        at = offsets[:-1]
        start = 0
        while True:
            word = words[at + start]
            if not (lengths >= start + 8).all():
                word &= _MASKS[np.minimum(lengths - start, 8)]
            h = _fmix((h ^ word) * _STEP)
            start += 8
            if not (lengths > start).all():
                break
        rows = np.flatnonzero(lengths > start)
        while len(rows):
            left = lengths[rows] - start
            word = words[at[rows] + start] & _MASKS[np.minimum(left, 8)]
            h[rows] = _fmix((h[rows] ^ word) * _STEP)
            rows = rows[left > 8]
            start += 8
    h = _fmix(h)
    h[h == 0] = 1
    if arr.null_count:
        h[arr.is_null().to_numpy(zero_copy_only=False)] = 0
    return h


def id_hashes(ids: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """64-bit hashes of text ids: equal ids hash alike, a missing id hashes to 0.

    Parameters
    ----------
    ids : pandas.Series, pyarrow.Array or pyarrow.ChunkedArray
        Text ids (missing allowed).

    Returns
    -------
    numpy.ndarray
        ``uint64``, one per id, never 0 for a present id. The hash depends only
        on the id's UTF-8 bytes, so it is the same in every chunk of a file.
    """
    chunks = text_array(ids).chunks
    if not chunks:
        return np.zeros(0, dtype=np.uint64)
    return np.concatenate([_chunk_hashes(c) for c in chunks])
