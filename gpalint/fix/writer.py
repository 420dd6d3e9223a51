"""Replacing a user's file without losing anyone's work.

The file is read once (``read_once``): its bytes, and a ``Snapshot`` of what was read (size, mtime, inode, a
SHA-256 of the bytes). The fixer works on those bytes only. ``replace`` writes the new content to a temporary file
beside it (named ``.gpalint-tmp-<name>-XXXXXXXX.tmp``), gives it the file's mode, owner and group, then — just
before ``os.replace`` — checks that the file is still exactly what was read; if anyone changed it meanwhile the
temporary file is dropped and the file is left alone. A temporary file left by an interrupted run (power cut,
``kill -9``) is removed by the next fix of that file (``remove_leftovers``).

Refused up front (``refusal``): a read-only file (the user protected it), and a file with several hard links
(replacing it would give this name a new file and leave the other names with the old content).
A symbolic link stays a link: its target is replaced.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..atomic import replace_atomically
from ..model import FileResult, InputError
from ..oserrors import describe
from ..readers import MAX_BYTES

TMP_PREFIX = ".gpalint-tmp-"
CHANGED = "文件在检查期间被其他程序修改过，为免覆盖这些改动，未写入修复：请重新运行"


class Refused(Exception):
    """The file is not replaced; the message is the one Chinese line shown to the user."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    path: Path  # the real file (symbolic links resolved)
    size: int
    mtime_ns: int
    dev: int
    ino: int
    nlink: int
    mode: int
    uid: int
    gid: int
    sha256: str

    def same_file(self, st: os.stat_result) -> bool:
        return (st.st_size, st.st_mtime_ns, st.st_dev, st.st_ino) == (self.size, self.mtime_ns, self.dev, self.ino)


def read_once(path: Path) -> tuple[bytes, Snapshot]:
    """The bytes of ``path`` and a snapshot of them; InputError when it is not a regular, readable, sized file."""
    real = Path(os.path.realpath(path))
    try:
        with open(real, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise InputError("不是普通文件")
            if st.st_size == 0 or st.st_size > MAX_BYTES:
                raise InputError("文件为空或过大")
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"无法读取文件：{describe(exc)}") from None
    snap = Snapshot(real, len(data), st.st_mtime_ns, st.st_dev, st.st_ino, st.st_nlink, stat.S_IMODE(st.st_mode),
                    st.st_uid, st.st_gid, hashlib.sha256(data).hexdigest())
    return data, snap


def refusal(snap: Snapshot) -> str | None:
    """Why this file must not be replaced, or None."""
    if not snap.mode & stat.S_IWUSR or not os.access(snap.path, os.W_OK):
        return "文件是只读的，未修复：如确需修复，请先取消只读属性"
    if snap.nlink > 1:
        return (f"文件有 {snap.nlink} 个硬链接，修复会以新文件替换它、其他链接仍指向旧内容，未修复："
                "请先复制为独立的文件再修复")
    return None


def changed(snap: Snapshot) -> bool:
    """Whether the file is no longer what was read (another program saved it, appended to it …)."""
    try:
        st = os.stat(snap.path)
        if not snap.same_file(st):
            return True
        digest = hashlib.sha256()
        with open(snap.path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return True
    return digest.hexdigest() != snap.sha256


def _tmp_prefix(target: Path) -> str:
    return f"{TMP_PREFIX}{target.name[:60]}-"  # short enough for a 255-byte file name in UTF-8


def remove_leftovers(path: Path) -> None:
    """Remove the temporary files an interrupted fix of ``path`` left beside it."""
    target = Path(os.path.realpath(path))
    name = re.compile(re.escape(_tmp_prefix(target)) + r"[A-Za-z0-9_]{8}\.tmp")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        if name.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def replace(snap: Snapshot, write: Callable[[BinaryIO], object]) -> None:
    """Replace the file of ``snap`` atomically by what ``write`` writes, keeping its mode, owner and group; Refused
    if it changed since it was read. OSError when the folder cannot be written."""

    def last_checks(tmp: str) -> None:
        st = os.stat(tmp)
        if (st.st_uid, st.st_gid) != (snap.uid, snap.gid):
            try:
                os.chown(tmp, snap.uid, snap.gid)
            except PermissionError:
                raise Refused("无法让修复后的文件保持原来的属主和属组，未修复：请以文件属主的身份运行") from None
        if changed(snap):
            raise Refused(CHANGED)

    replace_atomically(snap.path, write, prefix=_tmp_prefix(snap.path), mode=snap.mode, before_replace=last_checks)


def save(result: FileResult, snap: Snapshot, write: Callable[[BinaryIO], object]) -> None:
    """``replace``, with a refusal or a write error reported on ``result`` (then nothing counts as fixed)."""
    try:
        replace(snap, write)
    except Refused as exc:
        result.error, result.fixed = str(exc), 0
    except OSError as exc:
        result.error, result.fixed = f"无法写入文件：{describe(exc)}", 0
