"""The result cache: what checking a file gave, kept under ``.gpalint_cache/`` in the current folder (as ruff keeps
``.ruff_cache``) so that a re-check of unchanged reports reads results instead of checking again.

An entry is found by a key, the SHA-256 of everything the result depends on: the file's bytes and the path it was
named by (findings carry it), gpalint's version and code, the versions of the libraries that read files, the rule
set (the content of every built-in and extra rule and template file), the configuration that applies to the file
and the command-line options that change findings. Only results that follow from those alone are kept: a file
that timed out, ran out of memory or could not be read is checked again next time.

An entry is data, never code: JSON of the FileResult's dataclass fields (generic, so a field added to the model
later is kept too), decoded only into the classes of gpalint.model. Entries are written to a temporary file and
renamed into place (gpalint.atomic), so parallel runs never see half an entry; an entry that does not decode is
ignored and written again. Entries not used for ``MAX_AGE_DAYS`` are removed, and the least recently used beyond
``MAX_ENTRIES``, at most once a day.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import MISSING, fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from . import __version__, model
from .model import FileResult

FORMAT = 1  # of an entry; part of every key
DIR_NAME = ".gpalint_cache"
MAX_AGE_DAYS = 30
MAX_ENTRIES = 50_000  # beyond, the least recently used go (an entry is ~10 KB: half a gigabyte at most)
MAX_READ = 50 * 1024 * 1024  # as readers.MAX_BYTES: a larger file is refused by the reader, not worth hashing
_PACKAGE = Path(__file__).resolve().parent
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by gpalint.\n"

# the classes an entry may name: the dataclasses and enums of gpalint.model, nothing else
_CLASSES: dict[str, type] = {name: obj for name, obj in vars(model).items()
                             if isinstance(obj, type) and obj.__module__ == model.__name__
                             and (is_dataclass(obj) or issubclass(obj, Enum))}


# ── encoding ─────────────────────────────────────────────────────────────────────────────────────────────────

def encode(value: Any) -> Any:
    """``value`` as JSON data: a dataclass of gpalint.model as {"@": name, field: …} (fields at their default
    left out), an enum as {"@e": name, "v": value}, a tuple as {"@t": […]}, a dict with other than plain string
    keys as {"@d": [[key, value], …]}. Raises TypeError for anything else (the result is then not kept)."""
    if isinstance(value, Enum):
        return {"@e": type(value).__name__, "v": value.value}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"@t": [encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("@") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"@d": [[encode(k), encode(v)] for k, v in value.items()]}
    cls = type(value)
    if is_dataclass(value) and _CLASSES.get(cls.__name__) is cls:
        out: dict[str, Any] = {"@": cls.__name__}
        for f in fields(value):
            v = getattr(value, f.name)
            if f.default is not MISSING and v == f.default and type(v) is type(f.default):
                continue
            if f.default_factory is not MISSING and v == f.default_factory():
                continue
            out[f.name] = encode(v)
        return out
    raise TypeError(f"cannot keep a {cls.__name__} in the cache")


def _decode_object(d: dict) -> Any:
    if "@" in d:
        cls = _CLASSES[d.pop("@")]  # KeyError: a class that is not ours, the entry is ignored
        return cls(**d)
    if "@e" in d:
        return _CLASSES[d["@e"]](d["v"])
    if "@t" in d:
        return tuple(d["@t"])
    if "@d" in d:
        return {_hashable(k): v for k, v in d["@d"]}
    return d


def _hashable(key: Any) -> Any:
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key


def decode(text: str | bytes) -> Any:
    return json.loads(text, object_hook=_decode_object)


# ── keys ─────────────────────────────────────────────────────────────────────────────────────────────────────

def _folder_digest(h, folder: Path) -> None:
    """Every *.toml of ``folder`` (names and content), into the hash ``h``."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
    except OSError:
        names = []
    h.update(f"\0{folder}\0{len(names)}".encode())
    for name in names:
        try:
            data = (folder / name).read_bytes()
        except OSError:
            data = b"\0unreadable"
        h.update(f"\0{name}\0{len(data)}\0".encode())
        h.update(data)


def _code_stamp(h) -> None:
    """gpalint's own code by size and modification time: a source checkout changed without a new version
    number must not be served results of the old code."""
    for root, dirs, names in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(root, name))
                h.update(f"{root}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())


# The libraries whose reading of a file is part of its result: a new pdfminer or PDFium may read a PDF otherwise.
_READER_DISTS = frozenset({"python_docx", "pdfminer_six", "pypdfium2", "lxml", "markdown_it_py", "pillow",
                           "rapidocr", "rapidocr_onnxruntime", "onnxruntime"})


def _readers_stamp(h) -> None:
    """The installed versions of the reading libraries, from their ``*.dist-info`` folder names (listing the
    folders of sys.path costs well under a millisecond; importlib.metadata would cost tens)."""
    import sys
    seen: list[str] = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project = name[:-len(".dist-info")].rsplit("-", 1)[0].lower().replace("-", "_").replace(".", "_")
                if project in _READER_DISTS:
                    seen.append(name)
    h.update(("\0".join(sorted(seen)) + "\0").encode())


def file_digest(path: Path) -> str | None:
    """SHA-256 of a regular file's bytes; None when it is not one, too large, or cannot be read (the reader
    says why when it is checked)."""
    try:  # non-blocking: opening a pipe put in the file's place must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with open(fd, "rb", buffering=0) as f:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_READ:
                return None
            return hashlib.sha256(f.read()).hexdigest()
        except OSError:
            return None


class Cache:
    """The cache of one run: ``key`` names a file's entry, ``get`` and ``put`` read and write it."""

    def __init__(self, folder: Path, options: tuple) -> None:
        self.folder = folder / __version__
        self.root = folder
        self.written = 0
        self._contexts: dict[tuple, bytes] = {}
        h = hashlib.sha256(f"gpalint {__version__} {FORMAT}\0{options!r}\0".encode())
        _code_stamp(h)
        _readers_stamp(h)
        self._base = h.digest()

    @classmethod
    def for_run(cls, args) -> Cache | None:
        """The cache of a ``gpalint check`` run, or None: --no-cache, or a run that writes files (--fix, --diff,
        --annotate), whose results are not only findings."""
        if getattr(args, "no_cache", False) or args.fix or args.diff or getattr(args, "annotate", None):
            return None
        folder = Path(os.environ.get("GPALINT_CACHE_DIR") or DIR_NAME)
        # what of the command line changes a file's result (--severity, --baseline only filter it afterwards)
        from .runner import EXCERPT_FORMATS
        options = (args.select, args.ignore, args.extend_select, args.template, args.year,
                   args.format == "html", args.format in EXCERPT_FORMATS, str(args.config or ""),
                   bool(getattr(args, "pairing", False)),  # digests for the pairing (gpalint/years.py)
                   getattr(args, "pdf_engine", None))
        return cls(folder, options)

    def key(self, path: Path, settings, sources) -> str | None:
        """The key of ``path``'s entry under its configuration's ``settings`` and rule ``sources``; None when the
        file cannot be hashed (it is checked as usual and not kept)."""
        digest = file_digest(path)
        if digest is None:
            return None
        context = self._contexts.get((id(settings), sources))
        if context is None:
            from .rules import RULES_DIR, TEMPLATES_DIR
            h = hashlib.sha256(self._base)
            h.update(repr(settings).encode())  # every setting, whatever keys the configuration gains
            for folder in (RULES_DIR, TEMPLATES_DIR, *sources.extra, *sources.extra_templates):
                _folder_digest(h, folder)
            context = self._contexts[(id(settings), sources)] = h.digest()
        h = hashlib.sha256(context)
        h.update(f"\0{path}\0{digest}".encode("utf-8", "surrogateescape"))
        return h.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> FileResult | None:
        """The result kept under ``key``; None when there is none or it does not decode (it is then rewritten)."""
        entry = self._entry(key)
        try:
            with open(entry, "rb") as f:
                data = decode(f.read())
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("result"), FileResult):
            return None
        try:
            if time.time() - entry.stat().st_mtime > 86400:  # used today: not removed for another MAX_AGE_DAYS
                os.utime(entry)
        except OSError:
            pass
        return data["result"]

    def put(self, key: str, result: FileResult) -> None:
        """Keep ``result`` under ``key`` if it follows from the key alone; never fails the run."""
        if result.error is not None and not result.skipped:
            return
        try:
            text = json.dumps({"key": key, "result": encode(result)}, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            return
        from .atomic import replace_atomically
        entry = self._entry(key)
        try:
            self._prepare()
            entry.parent.mkdir(exist_ok=True)
            replace_atomically(entry, text.encode("utf-8", "surrogatepass"), prefix=".entry-", durable=False)
            self.written += 1
        except OSError:  # a read-only folder, a full disk: the run goes on without the cache
            pass

    def _prepare(self) -> None:
        """The cache folder, tagged for backup tools (CACHEDIR.TAG) and ignored by git (a .gitignore of "*")."""
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# created by gpalint\n*\n")):
            target = self.root / name
            if not target.exists():
                target.write_text(text, encoding="utf-8")

    def prune(self) -> None:
        """Remove entries unused for MAX_AGE_DAYS, the least recently used beyond MAX_ENTRIES and the folders of
        other gpalint versions; at most once a day, and only after a run that wrote entries."""
        mark = self.root / "pruned"
        now = time.time()
        try:
            if not self.written or now - mark.stat().st_mtime < 86400:
                return
        except FileNotFoundError:
            pass
        except OSError:
            return
        try:
            mark.touch()
            import shutil
            for other in self.root.iterdir():
                if other.is_dir() and other.name != self.folder.name:
                    shutil.rmtree(other, ignore_errors=True)
            kept = []
            for sub in self.folder.iterdir():
                for entry in sub.iterdir() if sub.is_dir() else ():
                    try:
                        used = entry.stat().st_mtime
                        if now - used > MAX_AGE_DAYS * 86400:
                            entry.unlink()
                        else:
                            kept.append((used, entry))
                    except OSError:
                        pass
            kept.sort()
            for _, entry in kept[:max(0, len(kept) - MAX_ENTRIES)]:
                entry.unlink(missing_ok=True)
        except OSError:
            pass
