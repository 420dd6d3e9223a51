"""The parsed-TOML cache is data, never code: a JSON file whose entries are checked against the SHA-256 of each
file's bytes. A pickle (or anything else) planted at its place is not run, only ignored and replaced."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from gpalint.tomlfile import load_toml, save_cache

LOAD = "import sys; from pathlib import Path; from gpalint.tomlfile import load_toml, save_cache; " \
       "print(load_toml(Path(sys.argv[1]), cached=True)['value']); save_cache()"


def _load_in_a_fresh_process(path: Path, cache_home: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("GPALINT_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-c", LOAD, str(path)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture
def rule_file(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    path = folder / "a.toml"
    path.write_text('value = "first"\n', encoding="utf-8")
    return path


def _cache_file(cache_home: Path) -> Path:
    [cache] = (cache_home / "gpalint").iterdir()
    return cache


def test_cache_is_json_keyed_by_content_hash(tmp_path, rule_file):
    cache_home = tmp_path / "cache"
    assert _load_in_a_fresh_process(rule_file, cache_home) == "first"
    cache = _cache_file(cache_home)
    data = json.loads(cache.read_text(encoding="utf-8"))
    [entry] = data["entries"].values()
    assert entry == {"sha256": hashlib.sha256(rule_file.read_bytes()).hexdigest(), "data": {"value": "first"}}
    # same size, same mtime, other content: the hash, not the stat, decides
    stat = rule_file.stat()
    rule_file.write_text('value = "other"\n', encoding="utf-8")
    os.utime(rule_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _load_in_a_fresh_process(rule_file, cache_home) == "other"


class _Payload:
    def __reduce__(self):
        return (Path.touch, (Path(os.environ["MARKER"]),))


@pytest.mark.parametrize("planted", ["pickle", b"\x00garbage{", b'{"version": 2, "entries": []}',
                                     b'[1, 2, 3]', b"[" * 100000])
def test_a_planted_or_corrupt_cache_is_ignored_and_rewritten(tmp_path, rule_file, monkeypatch, planted):
    cache_home = tmp_path / "cache"
    _load_in_a_fresh_process(rule_file, cache_home)
    cache = _cache_file(cache_home)
    marker = tmp_path / "pwned"
    monkeypatch.setenv("MARKER", str(marker))
    cache.write_bytes(pickle.dumps(_Payload()) if planted == "pickle" else planted)
    assert _load_in_a_fresh_process(rule_file, cache_home) == "first"
    assert not marker.exists()  # nothing was unpickled
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == 2  # and the cache is whole again


def test_an_entry_with_a_wrong_hash_is_not_trusted(tmp_path, rule_file):
    cache_home = tmp_path / "cache"
    _load_in_a_fresh_process(rule_file, cache_home)
    cache = _cache_file(cache_home)
    data = json.loads(cache.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["sha256"], entry["data"] = "0" * 64, {"value": "forged"}
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert _load_in_a_fresh_process(rule_file, cache_home) == "first"


def test_uncached_load_and_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "dated"
    folder.mkdir()
    path = folder / "d.toml"
    path.write_text("day = 2024-12-31\n", encoding="utf-8")
    assert str(load_toml(path, cached=True)["day"]) == "2024-12-31"  # no JSON form: parsed, not cached
    save_cache()
    assert str(load_toml(path)["day"]) == "2024-12-31"
