"""TOML loading shared by rule files, templates and configuration, with errors that name the file and the key.

Parsing ~40 small TOML files costs more than the rest of gpalint's start-up, so parsed files are kept in a cache
under the user's cache directory and re-parsed only when their content changes. The cache is data only (JSON, each
entry checked against the SHA-256 of the file's bytes): whoever can write to the cache folder can at worst make
gpalint parse the files again, never run code. A corrupt, foreign or oversized cache file is ignored and rewritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import TypeVar

from .oserrors import describe

_CACHE_VERSION = 2
_CACHE_MAX_BYTES = 16 * 1024 * 1024  # the built-in rules take ~100 KB; anything far larger is not ours


class RuleFileError(Exception):
    """A rule, template or configuration file that gpalint cannot use; says which file and which key."""

    def __init__(self, path: Path | str, key: str, problem: str):
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"{path}：「{key}」{problem}")


T = TypeVar("T")
TYPE_NAMES: dict[type, str] = {str: "字符串", int: "整数", float: "数", bool: "布尔值（true 或 false）", list: "列表",
                               dict: "表"}


def require(data: dict, key: str, kind: type[T], path: Path | str, where: str = "", default: T | None = None) -> T:
    """The value of ``key`` in a table of a definition file (rule, template, configuration), of type ``kind`` (a
    bool is not taken for an int); ``default`` when absent, which ``None`` makes required. Errors name the file and
    the key as the user wrote it (``where`` is the table's dotted prefix, e.g. "check." or "tables.三.")."""
    value = data.get(key)
    if value is None:
        if default is None:
            raise RuleFileError(path, f"{where}{key}", "缺少必填项")
        return default
    if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
        raise RuleFileError(path, f"{where}{key}", f"类型应为{TYPE_NAMES.get(kind, kind.__name__)}")
    return value


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RuleFileError(path, "文件", f"无法读取：{describe(exc)}") from None


def _parse(path: Path, content: bytes | None = None) -> dict:
    if sys.version_info >= (3, 11):  # imported here: a run whose rules come from the cache needs no TOML parser
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads((_read(path) if content is None else content).decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(path, "TOML", f"语法错误：{exc}") from None
    except UnicodeDecodeError:
        raise RuleFileError(path, "TOML", "不是 UTF-8 编码的文本") from None


class _Cache:
    """The parsed TOML files of one folder (one cache file per folder: each installation reads only its own):
    ``entries`` maps a file's resolved path to the SHA-256 of its bytes and what they parsed to."""

    def __init__(self, folder: Path):
        self.entries: dict[str, dict] | None = None
        self.dirty = False
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        tag = hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:16]
        self.file = None if os.environ.get("GPALINT_NO_CACHE") else Path(
            base, "gpalint", f"toml-{_CACHE_VERSION}-{tag}.json")

    def _load(self) -> dict[str, dict]:
        if self.entries is None:
            self.entries = {}
            if self.file is not None:
                try:
                    with open(self.file, "rb") as f:
                        raw = f.read(_CACHE_MAX_BYTES + 1)
                    data = json.loads(raw) if len(raw) <= _CACHE_MAX_BYTES else None
                    if isinstance(data, dict) and data.get("version") == _CACHE_VERSION \
                            and isinstance(data.get("entries"), dict):
                        self.entries = data["entries"]
                except (OSError, ValueError, RecursionError):  # missing, corrupt or foreign: start afresh
                    pass
        return self.entries

    def get(self, path: Path) -> dict:
        content = _read(path)
        digest = hashlib.sha256(content).hexdigest()
        key = str(path.resolve())
        hit = self._load().get(key)
        if isinstance(hit, dict) and hit.get("sha256") == digest and isinstance(hit.get("data"), dict):
            return hit["data"]
        data = _parse(path, content)
        try:
            json.dumps(data)  # TOML dates have no JSON form: such a file is parsed every time
        except (TypeError, ValueError):
            return data
        self._load()[key] = {"sha256": digest, "data": data}
        self.dirty = True
        return data

    def save(self) -> None:
        if not self.dirty or self.file is None or self.entries is None:
            return
        entries = {k: v for k, v in self.entries.items() if os.path.exists(k)}  # forget deleted files
        import tempfile
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump({"version": _CACHE_VERSION, "entries": entries}, f, ensure_ascii=False)
                os.replace(tmp, self.file)
            except BaseException:
                os.unlink(tmp)
                raise
            self.entries, self.dirty = entries, False
        except OSError:  # a read-only home is no reason to fail
            pass


_caches: dict[Path, _Cache] = {}


def load_toml(path: Path, cached: bool = False) -> dict:
    """The parsed file. ``cached``: for the files every run reads (the built-in rules and templates), kept parsed
    between runs; callers must not modify what they get."""
    path = Path(path)
    if not cached:
        return _parse(path)
    cache = _caches.get(path.parent)
    if cache is None:
        cache = _caches[path.parent] = _Cache(path.parent)
    return cache.get(path)


def save_cache() -> None:
    for cache in _caches.values():
        cache.save()
