"""Configuration, as in ruff: ``[tool.gpalint]`` in pyproject.toml, or gpalint.toml / .gpalint.toml (top-level keys).

The nearest configuration file above a checked file applies to it, so one repository can hold reports of several
agencies or years, each folder with its own settings. Unknown keys and bad values are errors (exit 2), never ignored:
a typo in ``ignore`` must not silently switch a rule back on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cache
from pathlib import Path, PurePosixPath

from .model import Severity
from .report.template import load_templates
from .rules import (
    RuleSources,
    is_selector,
    local_prefix_problem,
    selector_help,
    selector_matches,
    specificity,
)
from .tomlfile import RuleFileError, load_toml

# In one directory the first of these that configures gpalint wins (a pyproject.toml without [tool.gpalint] does not).
CONFIG_NAMES = (".gpalint.toml", "gpalint.toml", "pyproject.toml")
KEYS = ("select", "ignore", "extend-select", "per-file-ignores", "exclude", "template", "year", "severity",
        "extra-rules", "extra-templates", "local-prefix", "max-seconds", "max-memory", "pdf-engine")


@dataclass(frozen=True)
class Settings:
    """The settings for the files under one configuration file; shared between them (frozen: change by replace())."""

    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: list[tuple[str, list[str]]] = field(default_factory=list)  # (glob, selectors), file order
    exclude: list[str] = field(default_factory=list)  # globs of files that are not reports (README.md, 附件/*)
    template: str = "auto"
    year: int | None = None
    severity: dict[str, Severity] = field(default_factory=dict)  # selector → severity
    extra_rules: list[Path] = field(default_factory=list)  # absolute folders of user rule files
    extra_templates: list[Path] = field(default_factory=list)  # absolute folders of user template files
    local_prefix: str = ""  # the code prefix of the extra rules (JS for JS101), never a built-in family letter
    max_seconds: float | None = None  # the budget of one file (None: gpalint.runner's default)
    max_memory: int | None = None  # MB
    pdf_engine: str = "auto"  # auto, pdfium, pdfminer
    config_path: Path | None = None

    @property
    def rule_sources(self) -> RuleSources:
        return RuleSources(tuple(self.extra_rules), self.local_prefix, tuple(self.extra_templates))


def _configures(path: Path) -> bool:
    if path.name != "pyproject.toml":
        return True
    try:  # most pyproject.toml files say nothing of gpalint: look before parsing
        if b"gpalint" not in path.read_bytes():
            return False
    except OSError:
        return False
    return "gpalint" in load_toml(path).get("tool", {})


def find_config(start: Path) -> Path | None:
    """The nearest configuration file in ``start`` (a file's folder, or the folder itself) or above it."""
    start = Path(start).resolve()
    return _find_in(start.parent if start.is_file() else start)


@cache
def _find_in(directory: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file() and _configures(candidate):
            return candidate
    return None if directory.parent == directory else _find_in(directory.parent)


def load_settings(config: Path | None) -> Settings:
    """Read and validate one configuration file; ``None`` gives the defaults."""
    if config is None:
        return Settings()
    config = Path(config).resolve()
    data = load_toml(config)
    prefix = ""
    if config.name == "pyproject.toml":
        data, prefix = data.get("tool", {}).get("gpalint", {}), "tool.gpalint."
    base = config.parent
    if not isinstance(data, dict):
        raise RuleFileError(config, prefix.rstrip("."), "应为表（[tool.gpalint]）")

    def fail(key: str, problem: str):
        raise RuleFileError(config, prefix + key, problem)

    for key in data:
        if key not in KEYS:
            fail(key, f"不是 gpalint 的配置项；可用的配置项：{'、'.join(KEYS)}")

    local_prefix = data.get("local-prefix", "")
    if "local-prefix" in data and (not isinstance(local_prefix, str) or local_prefix_problem(local_prefix)):
        fail("local-prefix", local_prefix_problem(str(local_prefix)) or "应为字符串")

    def selectors(key: str, value) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(key, f"应为字符串列表，如 [\"T\", \"G101\"]；{selector_help(local_prefix)}")
        for v in value:
            if not is_selector(v, local_prefix):
                fail(key, f"「{v}」不是规则代码或前缀；{selector_help(local_prefix)}")
        return list(value)

    kwargs: dict = {"config_path": config, "local_prefix": local_prefix}
    for key in ("select", "ignore", "extend-select"):
        if key in data:
            kwargs[key.replace("-", "_")] = selectors(key, data[key])

    pfi = data.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        fail("per-file-ignores", "应为表：文件通配符 = [规则代码或前缀…]，如 \"2019/*\" = [\"T\"]")
    kwargs["per_file_ignores"] = [(glob, selectors(f"per-file-ignores.\"{glob}\"", codes))
                                  for glob, codes in pfi.items()]

    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
        fail("exclude", "应为文件通配符的列表（相对于配置文件所在目录），如 [\"README.md\", \"附件/*\"]")
    kwargs["exclude"] = list(exclude)

    for key in ("extra-rules", "extra-templates"):
        extra = data.get(key, [])
        if not isinstance(extra, list) or not all(isinstance(p, str) for p in extra):
            fail(key, f"应为目录路径的列表（相对于配置文件所在目录），如 [\"my-{key.split('-')[1]}\"]")
        kwargs[key.replace("-", "_")] = [(base / p).resolve() for p in extra]
        for given, folder in zip(extra, kwargs[key.replace("-", "_")]):
            if not folder.is_dir():
                fail(key, f"「{given}」不是一个目录（相对于 {base}）")

    if "template" in data:
        allowed = ["auto", *load_templates(tuple(kwargs["extra_templates"])).by_version]
        if data["template"] not in allowed:
            fail("template", f"只能是 {'、'.join(allowed)}")
        kwargs["template"] = data["template"]

    if "pdf-engine" in data:
        from .readers.pdf import ENGINES
        if data["pdf-engine"] not in ENGINES:
            fail("pdf-engine", f"只能是 {'、'.join(ENGINES)}")
        kwargs["pdf_engine"] = data["pdf-engine"]

    if "year" in data:
        year = data["year"]
        # bool is an int in Python; the Regulations on disclosure (条例) date from 2008
        if not isinstance(year, int) or isinstance(year, bool) or not 2008 <= year <= 2100:
            fail("year", "应为 2008 至 2100 之间的整数年份，如 2024")
        kwargs["year"] = year

    sev = data.get("severity", {})
    if not isinstance(sev, dict):
        fail("severity", "应为表：规则代码或前缀 = \"error\" | \"warning\" | \"info\"")
    severity = {}
    for code, level in sev.items():
        selectors(f"severity.{code}", [code])
        if level not in ("error", "warning", "info"):
            fail(f"severity.{code}", "只能是 error、warning 或 info")
        severity[code] = Severity(level)
    kwargs["severity"] = severity

    for key, kind, unit in (("max-seconds", (int, float), "秒数，如 300"), ("max-memory", int, "兆字节数（MB），如 2048")):
        if key in data:
            value = data[key]
            if not isinstance(value, kind) or isinstance(value, bool) or value <= 0:
                fail(key, f"应为正的{unit}")
            kwargs[key.replace("-", "_")] = value

    return Settings(**kwargs)


@cache
def _settings_in(directory: Path) -> Settings:
    return load_cached(_find_in(directory))


@cache
def load_cached(config: Path | None) -> Settings:
    return load_settings(config)


def settings_for(file: Path) -> Settings:
    """The settings that apply to ``file``: from the nearest configuration file above it (cached per folder)."""
    return _settings_in(Path(file).resolve().parent)


def clear_caches() -> None:
    """Forget discovered and loaded configuration (for a long-running process, and tests)."""
    _find_in.cache_clear()
    _settings_in.cache_clear()
    load_cached.cache_clear()


def decide(code: str, enable: list[str], disable: list[str]) -> bool | None:
    """What one layer of selectors says about ``code``: the most specific matching selector decides, and at equal
    specificity an ignore wins (ruff's rule). ``None`` when no selector of the layer matches."""
    best: tuple[int, bool] | None = None
    for selector in enable:
        if selector_matches(code, selector) and (best is None or specificity(selector) > best[0]):
            best = (specificity(selector), True)
    for selector in disable:
        if selector_matches(code, selector) and (best is None or specificity(selector) >= best[0]):
            best = (specificity(selector), False)
    return None if best is None else best[1]


def choose(code: str, select: list[str] | None, ignore: list[str], extend_select: list[str],
           enabled: bool = True) -> bool:
    """One layer (a configuration file, the command line): a layer with a select starts over; a layer without one
    only changes the codes its extend-select/ignore match, and leaves ``code`` as ``enabled`` otherwise."""
    if select is not None:
        return decide(code, [*select, *extend_select], ignore) is True
    verdict = decide(code, extend_select, ignore)
    return enabled if verdict is None else verdict


def _glob_matches(glob: str, path: Path | str, settings: Settings) -> bool:
    """Globs are relative to the configuration file's folder (fnmatch: "*" also crosses "/"); a glob also matches
    from the right (PurePath.match), so "README.md" or "*.pdf" match in any folder."""
    base = settings.config_path.parent if settings.config_path else Path.cwd()
    absolute = Path(path).resolve()
    try:
        rel = absolute.relative_to(base).as_posix()
    except ValueError:
        rel = absolute.as_posix()
    glob = glob.removeprefix("./")
    return fnmatch(rel, glob) or PurePosixPath(rel).match(glob)


def file_ignores(path: Path | str, settings: Settings) -> list[str]:
    """The selectors that per-file-ignores switch off for ``path``."""
    return [code for glob, codes in settings.per_file_ignores if _glob_matches(glob, path, settings) for code in codes]


def excluded(path: Path | str, settings: Settings) -> bool:
    """Whether ``path`` matches an ``exclude`` glob: a file found while walking a folder that is not a report."""
    return any(_glob_matches(glob, path, settings) for glob in settings.exclude)


def selected(code: str, path: Path, settings: Settings, cli_select: list[str] | None, cli_ignore: list[str],
             cli_extend_select: list[str]) -> bool:
    """Whether rule ``code`` runs on ``path``, with ruff's semantics.

    Two layers, the configuration file then the command line. In each layer the most specific matching selector
    decides (T103 beats T1 beats T beats ALL) and an ignore beats a select of equal specificity. A layer with a
    select starts over (so --select replaces the file's select, extend-select and ignore); a layer without one only
    changes the codes its extend-select/ignore match. per-file-ignores come last and always win.
    """
    enabled = choose(code, settings.select, settings.ignore, settings.extend_select)
    enabled = choose(code, cli_select, cli_ignore, cli_extend_select, enabled)
    return enabled and not any(selector_matches(code, s) for s in file_ignores(path, settings))


def severity_for(code: str, settings: Settings) -> Severity | None:
    """The severity the configuration gives ``code``, or None: the rule's own."""
    return severity_in(code, settings.severity)


def severity_in(code: str, levels: dict[str, Severity]) -> Severity | None:
    """The severity of the most specific selector of ``levels`` matching ``code``; None when none does."""
    matching = [s for s in levels if selector_matches(code, s)]
    return levels[max(matching, key=specificity)] if matching else None
