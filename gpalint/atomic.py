"""Replacing a file so that nobody ever sees half of it: write a temporary file in the same folder, then
os.replace (atomic within one file system). Used for --output; `--fix` writes the same way."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def replace_atomically(path: Path, data: bytes, suffix: str = ".tmp") -> None:
    """Make ``data`` the content of ``path``. An existing file keeps its permission bits; a new one gets the usual
    ones (0666 less the umask, not mkstemp's 0600). The temporary file is removed if anything fails."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
