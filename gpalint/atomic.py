"""Replacing a file so that nobody ever sees half of it: write a temporary file in the same folder, then
os.replace (atomic within one file system). Used for --output, by `--fix` (gpalint/fix/writer.py) and for the result cache (gpalint/cache.py)."""
from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_atomically(path: Path, data: bytes | Callable[[BinaryIO], object], prefix: str | None = None,
                       mode: int | None = None, before_replace: Callable[[str], None] | None = None,
                       durable: bool = True) -> None:
    """Make ``data`` (bytes, or a function writing them) the content of ``path``. The temporary file is named
    ``prefix``…``.tmp`` (default ``.<name>.``) and gets ``mode`` — by default an existing file's permission bits, or
    the usual ones for a new file (0666 less the umask, not mkstemp's 0600). ``before_replace(tmp)`` runs last
    and may raise to abandon the write (``--fix`` re-checks the source there). The temporary file is removed if
    anything fails. ``durable=False`` skips the fsync (a cache entry: losing it in a power cut costs a re-check)."""
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=prefix or f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                data(f)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
