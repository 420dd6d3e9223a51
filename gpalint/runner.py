"""Run the checks over the files of one command: each file on its own, in this process or in worker processes."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .model import FileResult, InputError
from .tomlfile import RuleFileError


def options_for(args, path: Path):
    """The options for one file: its configuration (found upward from it), overridden by the command line."""
    from .config import _load_cached, selected, settings_for, severity_for
    from .engine import Options
    settings = _load_cached(args.config.resolve()) if args.config else settings_for(path)
    options = Options(template=args.template or settings.template, year=args.year or settings.year,
                      select_fn=lambda code: selected(code, path, settings, args.select, args.ignore, args.extend_select),
                      severity_fn=lambda code: severity_for(code, settings))
    return options, tuple(settings.extra_rules)


_ENGINES: dict = {}


def engine_for(extra: tuple[Path, ...]):
    """The compiled built-in rules plus the given extra rule folders, built once per process."""
    from .engine import Engine
    if extra not in _ENGINES:
        _ENGINES[extra] = Engine.load(extra)
    return _ENGINES[extra]


def check_one(args, path: Path) -> FileResult:
    """Check one file (in this process or a worker); never raises for bad input."""
    try:
        options, extra = options_for(args, path)
        engine = engine_for(extra)
        if args.fix or args.diff:
            from .fix import fix_file
            return fix_file(engine, path, options, unsafe=args.unsafe_fixes, diff_only=args.diff)
        return engine.check_path(path, options)
    except InputError as exc:
        return FileResult(str(path), error=str(exc))
    except RuleFileError:
        raise
    except Exception as exc:  # a bug in gpalint must not hide the other files' results
        return FileResult(str(path), error=f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}")


def run_all(args, files: list[Path]) -> list[FileResult]:
    jobs = args.jobs or min(os.cpu_count() or 1, 8)
    progress = not args.no_progress and not args.quiet and sys.stderr.isatty() and len(files) > 1
    if jobs > 1 and len(files) >= 16 and not (args.fix or args.diff):
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(jobs) as pool:
            it = pool.map(check_one, [args] * len(files), files, chunksize=max(1, len(files) // (jobs * 8)))
            return list(_progress(it, len(files)) if progress else it)
    it = (check_one(args, f) for f in files)
    return list(_progress(it, len(files)) if progress else it)


def _progress(iterable, total: int):
    from rich.progress import Progress
    with Progress(transient=True) as bar:
        task = bar.add_task("检查中", total=total)
        for item in iterable:
            bar.advance(task)
            yield item
