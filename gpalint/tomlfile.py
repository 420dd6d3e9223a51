"""TOML loading shared by rule files, templates and configuration, with errors that name the file and the key."""
from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class RuleFileError(Exception):
    """A rule, template or configuration file that gpalint cannot use; says which file and which key."""

    def __init__(self, path: Path | str, key: str, problem: str):
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"{path}：「{key}」{problem}")


def load_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(path, "TOML", f"语法错误：{exc}") from None
    except OSError as exc:
        raise RuleFileError(path, "文件", f"无法读取：{exc.strerror or exc}") from None
