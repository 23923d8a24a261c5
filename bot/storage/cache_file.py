"""One checked, memory-mapped cache file: a JSON header and raw numeric arrays.

Nothing in the file can run code: the header is JSON, every section is a flat
array of a fixed numeric type, and opening one is ``numpy.frombuffer`` on a
read-only memory map, so the pages are shared page cache, not private memory.

Layout: ``MAGIC``, the header's length and CRC-32 (little-endian u32 each), the
header, then each section at a 64-byte boundary (offsets count from the end of
the header, rounded up). The header names the format
version and the corpus key, and gives each section's type, length, offset and
CRC-32. :func:`open_cache` checks all of it before returning anything
(``zlib.crc32`` reads about 4 GB/s, so the check costs milliseconds), and raises
:class:`CacheError` on any mismatch: the caller logs it and rebuilds.

:func:`write_cache` writes into an unnamed file (``O_TMPFILE``) and links it into
place only when complete: a build killed midway leaves nothing behind. Where the
file system cannot do that, a ``.<name>.<pid>.tmp`` file is used, and
:func:`remove_stale_temporaries` deletes those whose writer is gone.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import struct
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MAGIC = b"BBCACHE\x01"
_PREFIX = struct.Struct("<8sII")
ALIGN = 64
MAX_HEADER = 64 << 20
# The only section types: plain little-endian numbers, nothing that can hold objects.
DTYPES = frozenset({"|u1", "<u4", "<i4", "<i8", "<u8", "<f4", "<f8"})

Array = npt.NDArray[Any]


class CacheError(ValueError):
    """The file is not a valid cache for what was asked: rebuild it."""


def write_cache(path: Path, header: Mapping[str, Any], sections: Mapping[str, Array]) -> None:
    """Write *header* (JSON-able) and the arrays in *sections* to *path* atomically."""
    table, at = [], 0
    arrays = {name: np.ascontiguousarray(a) for name, a in sections.items()}
    for name, a in arrays.items():
        dtype = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype
        if dtype.str not in DTYPES:
            raise TypeError(f"section {name!r}: type {a.dtype} is not allowed")
        table.append([name, dtype.str, int(a.size), at, int(a.nbytes),
                      zlib.crc32(a.data.cast("B"))])
        at += _padded(a.nbytes)
    head = json.dumps({**header, "sections": table}, separators=(",", ":")).encode()
    start = _padded(_PREFIX.size + len(head))  # offsets in the table count from here

    def write(fh: Any) -> None:
        fh.write(_PREFIX.pack(MAGIC, len(head), zlib.crc32(head)) + head)
        fh.write(b"\0" * (start - _PREFIX.size - len(head)))
        for a in arrays.values():
            fh.write(a.data.cast("B"))
            fh.write(b"\0" * (_padded(a.nbytes) - a.nbytes))

    _write_atomically(path, write)


def open_cache(path: Path, expect: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Array]]:
    """The header and sections of *path*, all checked; *expect*: header values that
    must match (format, key). Raises :class:`CacheError`, or OSError if unreadable."""
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size < _PREFIX.size:
            raise CacheError("file too short")
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    magic, length, crc = _PREFIX.unpack_from(view)
    if magic != MAGIC:
        raise CacheError("not a cache file (bad magic)")
    if length > min(MAX_HEADER, size - _PREFIX.size):
        raise CacheError("header length out of range")
    head = bytes(view[_PREFIX.size:_PREFIX.size + length])
    if zlib.crc32(head) != crc:
        raise CacheError("header checksum mismatch")
    try:
        header = json.loads(head)
    except ValueError as exc:
        raise CacheError(f"header is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise CacheError("header is not an object")
    for key, want in expect.items():
        if header.get(key) != want:
            raise CacheError(f"{key} is {header.get(key)!r}, expected {want!r}")
    sections: dict[str, Array] = {}
    base = _padded(_PREFIX.size + length)
    for row in _rows(header.get("sections")):
        name, dtype, count, offset, nbytes, crc = row
        item = np.dtype(dtype).itemsize
        offset += base
        if offset % ALIGN or offset + nbytes > size \
                or nbytes != count * item:
            raise CacheError(f"section {name!r} out of bounds")
        part = view[offset:offset + nbytes]
        if zlib.crc32(part) != crc:
            raise CacheError(f"section {name!r} checksum mismatch")
        sections[name] = np.frombuffer(mapped, dtype=np.dtype(dtype), count=count,
                                       offset=offset)
    return header, sections


def _rows(table: object) -> list[tuple[str, str, int, int, int, int]]:
    if not isinstance(table, list):
        raise CacheError("no section table")
    rows = []
    for row in table:
        if not (isinstance(row, list) and len(row) == 6 and isinstance(row[0], str)
                and row[1] in DTYPES and all(type(v) is int and v >= 0 for v in row[2:])):
            raise CacheError(f"bad section entry {row!r:.80}")
        rows.append((row[0], row[1], row[2], row[3], row[4], row[5]))
    return rows


def _padded(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


def _write_atomically(path: Path, write: Any) -> None:
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    fd = _unnamed(folder) if _links_unnamed(folder) else -1
    named = fd < 0
    if named:  # no unnamed files here: a named one, which a restart cleans up
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb", closefd=False) as fh:
            write(fh)
        if not named:
            os.link(f"/proc/self/fd/{fd}", tmp, follow_symlinks=True)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        os.close(fd)


def _unnamed(folder: Path) -> int:
    try:
        return os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600)
    except (AttributeError, OSError):
        return -1


_LINKS: dict[Path, bool] = {}


def _links_unnamed(folder: Path) -> bool:
    """Whether an unnamed file in *folder* can be linked into it (not in every
    sandbox: /proc may be another mount). Probed once per folder."""
    if folder not in _LINKS:
        fd, probe = _unnamed(folder), folder / f".probe.{os.getpid()}.tmp"
        ok = False
        if fd >= 0:
            try:
                os.link(f"/proc/self/fd/{fd}", probe, follow_symlinks=True)
                ok = True
            except OSError:
                pass
            finally:
                os.close(fd)
                with contextlib.suppress(OSError):
                    probe.unlink()
        _LINKS[folder] = ok
    return _LINKS[folder]


def remove_stale_temporaries(folder: Path) -> None:
    """Delete ``.*.<pid>.tmp`` files whose writing process no longer exists."""
    for tmp in folder.glob(".*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
