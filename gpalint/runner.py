"""Run the checks over the files of one command: each file on its own, within a time and a memory budget.

Results the cache holds (gpalint.cache) are read, not checked again. A single file left to check is checked in
this process, within the same budgets (no worker to start: pre-commit and editors check one file at a time);
more are checked in worker processes, at most one per CPU and one per file. A worker limits its own address space
(RLIMIT_AS) while it checks a file, so a file that needs more memory than its budget gets one line instead of
the machine's memory; the parent stops a worker whose file runs past its time. A worker that dies anyway (the
out-of-memory killer, ``kill -9``) costs only the file it held: that file is tried once more in a fresh worker,
then reported as not checked, and every other file's result still comes back. Results are handed on in the order
of the files as soon as each is ready, so nothing but the results still waiting for an earlier file is held.

The pool is a few processes with one pipe each rather than concurrent.futures, whose pool breaks as a whole when
one worker dies (BrokenProcessPool), and rather than multiprocessing.Pool, which cannot tell which task a dead
worker held.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .model import FileResult, InputError
from .tomlfile import RuleFileError

if TYPE_CHECKING:  # multiprocessing is imported only when there are files for workers
    from multiprocessing.connection import Connection

# A 200-page report takes a few seconds and well under 500 MB; these only stop files no report resembles.
DEFAULT_MAX_SECONDS = 300.0
DEFAULT_MAX_MEMORY = 2048  # MB of address space a worker may add while it checks one file
# OCR (ONNX Runtime's arenas and threads, a page image at 300 dpi) takes about 1.7 GB of address space for a page:
# a scanned PDF or an image gets twice the room, when the OCR extra is there to read it
DEFAULT_MAX_MEMORY_OCR = 4096
MAX_TRIES = 2  # a file whose worker died is tried once more in a fresh worker
PER_WORKER = 2  # files given to a worker at a time
EXCERPT_FORMATS = ("text", "html")  # the formats that show the source line of a finding (Diagnostic.source_line)


def _settings(args, path: Path):
    """The configuration for one file: --config, else the nearest one found upward from it."""
    from .config import load_cached, settings_for
    return load_cached(args.config.resolve()) if args.config else settings_for(path)


def options_for(args, path: Path):
    """The options for one file: its configuration, overridden by the command line."""
    from .config import selected, severity_for
    from .engine import Options
    settings = _settings(args, path)
    options = Options(template=args.template or settings.template, year=args.year or settings.year,
                      pdf_engine=getattr(args, "pdf_engine", None) or settings.pdf_engine,
                      select_fn=lambda code: selected(code, path, settings, args.select, args.ignore, args.extend_select),
                      severity_fn=lambda code: severity_for(code, settings), readout=args.format == "html",
                      digest=getattr(args, "pairing", False))
    return options, settings.rule_sources


@dataclass(frozen=True, slots=True)
class Budget:
    seconds: float
    memory: int  # MB


def budget_for(args, path: Path) -> Budget:
    """The time and memory one file may take: the command line, else its configuration, else the defaults."""
    settings = _settings(args, path)
    return Budget(args.max_seconds or settings.max_seconds or DEFAULT_MAX_SECONDS,
                  args.max_memory or settings.max_memory or _default_memory(path))


def _default_memory(path: Path) -> int:
    from .readers import IMAGES
    if path.suffix.lower() in (".pdf", *IMAGES):
        from .readers.extras import ocr_available
        if ocr_available():
            return DEFAULT_MAX_MEMORY_OCR
    return DEFAULT_MAX_MEMORY


_RULES: dict = {}
_ENGINES: dict = {}


def rules_for(sources):
    """The rules of a configuration (its RuleSources: the built-in ones and its extra rules), read but not
    compiled, once per process: what the outputs and the selectors need, and all a run served by the cache does."""
    if sources not in _RULES:
        _RULES[sources] = sources.load()
    return _RULES[sources]


def engine_for(sources):
    """The compiled built-in rules and templates plus those of a configuration (its RuleSources), once per process."""
    if sources not in _ENGINES:
        from .engine import Engine
        from .report.template import load_templates
        _ENGINES[sources] = Engine(rules_for(sources), load_templates(sources.extra_templates))
    return _ENGINES[sources]


def check_one(args, path: Path) -> FileResult:
    """Check one file (in this process or a worker); never raises for bad input."""
    try:
        options, sources = options_for(args, path)
        engine = engine_for(sources)
        target = (getattr(args, "annotate_targets", None) or {}).get(path) if getattr(args, "annotate", None) else None
        if target is not None:  # --annotate: a copy of the Word file with a comment per finding
            from .annotate import annotate_file
            return annotate_file(engine, path, options, target)
        if args.fix or args.diff:
            from .fix import fix_file
            return fix_file(engine, path, options, unsafe=args.unsafe_fixes, diff_only=args.diff)
        result = engine.check_path(path, options)
        if args.format not in EXCERPT_FORMATS:  # kept only where shown: 10,000 results must stay small
            for d in result.diagnostics:
                d.source_line = None
        return result
    except InputError as exc:
        return FileResult(str(path), error=str(exc))
    except (RuleFileError, MemoryError):
        raise
    except Exception as exc:  # a bug in gpalint must not hide the other files' results
        return FileResult(str(path), error=f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}")


def worker_count(jobs: int, files: int) -> int:
    """Workers for ``files`` files: ``jobs`` if given (0: automatic, at most 8), never more than the CPUs this
    process may use, nor than the files."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    wanted = jobs if jobs > 0 else min(cpus, 8)
    return max(1, min(wanted, cpus, files))


def run_all(args, files: list[Path], ordered: bool = True) -> Iterator[FileResult]:
    """One result per file: in the order of ``files``, or (``ordered=False``) each as soon as it is ready."""
    if not files:
        return iter(())
    results = _results(args, files, ordered)
    progress = not args.no_progress and not args.quiet and sys.stderr.isatty() and len(files) > 1
    return _progress(results, len(files)) if progress else results


def _results(args, files: list[Path], ordered: bool) -> Iterator[FileResult]:
    """The results of the cache first (gpalint.cache); the files not in it are checked here when there is one
    (no worker to start), else by a pool of workers."""
    from .cache import Cache
    cache = Cache.for_run(args)
    keys: list[str | None] = [None] * len(files)
    hits: dict[int, FileResult] = {}
    for i, path in enumerate(files):
        if cache is None:
            break
        settings = _settings(args, path)
        if not settings.cache:
            continue
        keys[i] = key = cache.key(path, settings, settings.rule_sources)
        hit = cache.get(key) if key is not None else None
        if hit is not None:
            hits[i] = hit
    todo = [i for i in range(len(files)) if i not in hits]
    if not ordered:  # a terminal: what the cache holds at once
        yield from hits.values()
        hits.clear()
    if todo:
        engine_for(options_for(args, files[todo[0]])[1])  # rule errors surface here; forked workers inherit the rules
    if len(todo) == 1:
        i = todo[0]
        result = check_here(args, files[i], budget_for(args, files[i]))
        key = keys[i]
        if cache is not None and key is not None:
            cache.put(key, result)
        checked: Iterator[tuple[int, FileResult]] = iter([(0, result)])
    elif todo:
        jobs = worker_count(args.jobs, len(todo))
        if (args.fix or args.diff) and not _distinct([files[i] for i in todo]):
            jobs = 1  # one file named twice: its fixes must not be written by two workers at once
        checked = _Pool(args, [files[i] for i in todo], jobs, [keys[i] for i in todo], cache, ordered).results()
    else:
        checked = iter(())
    waiting = sorted(hits)  # in ordered mode, the hits still to hand on between the checked files
    n = 0
    for j, result in checked:
        while n < len(waiting) and waiting[n] < todo[j]:
            yield hits.pop(waiting[n])
            n += 1
        yield result
    yield from (hits.pop(i) for i in waiting[n:])
    if cache is not None:
        cache.prune()


def _distinct(files: list[Path]) -> bool:
    """Whether no two of ``files`` are the same file (a name given twice, a link)."""
    seen = set()
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            return False
        seen.add((st.st_dev, st.st_ino))
    return True


def _progress(results: Iterable[FileResult], total: int) -> Iterator[FileResult]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .output import display_path
    columns = (TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[name]}"))
    # on stderr, where it was asked for; results printed to a terminal meanwhile appear above it (rich redirects
    # stdout while the bar is shown); no refresh thread: workers are forked meanwhile
    with Progress(*columns, console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("检查中", total=total, name="")
        for result in results:
            bar.update(task, advance=1, name=display_path(Path(result.path).name))
            bar.refresh()
            yield result


class _Timeout(BaseException):
    """The time budget of a file checked in this process ran out (BaseException: check_one must not catch it)."""


_armed = [False]  # the alarm of check_here is for the check only, not for what follows it


def _on_alarm(signum, frame):
    if _armed[0]:
        _armed[0] = False
        raise _Timeout


def check_here(args, path: Path, budget: Budget) -> FileResult:
    """Check one file in this process, within its budgets as in a worker: SIGALRM ends a check that runs past its
    time (at the next Python instruction: a worker is stopped from outside instead), RLIMIT_AS turns memory past
    its budget into MemoryError. The handler and the limit are restored afterwards."""
    timer = hasattr(signal, "setitimer")
    try:
        previous = signal.signal(signal.SIGALRM, _on_alarm) if timer else None
    except ValueError:  # not the main thread: no alarm here, only the memory budget
        timer, previous = False, None
    before = _rlimit()
    _limit_memory(_address_space() + (budget.memory << 20))
    try:
        if timer:
            _armed[0] = True
            signal.setitimer(signal.ITIMER_REAL, budget.seconds)
        result = check_one(args, path)
        _armed[0] = False
        return result
    except _Timeout:
        return FileResult(str(path), error=_timeout_message(budget))
    except MemoryError:
        return FileResult(str(path), error=_memory_message(budget))
    finally:
        _armed[0] = False
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _restore_rlimit(before)


def _timeout_message(budget: Budget) -> str:
    return f"检查超时：超过 {budget.seconds:g} 秒仍未完成，已停止（可用 --max-seconds 或配置项 max-seconds 放宽）"


def _memory_message(budget: Budget) -> str:
    return f"检查时内存超出上限（{budget.memory} MB），已停止（可用 --max-memory 或配置项 max-memory 放宽）"


# ── the pool ──────────────────────────────────────────────────────────────────────────────────────────

def _context():
    # fork where it is safe and cheap (Linux): workers start at once with the rules already compiled
    import multiprocessing
    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


class _Worker:
    """One worker process and the files it was given, in order: the first is the one it is checking."""

    def __init__(self, ctx, args, cache) -> None:
        tasks, self.tasks = ctx.Pipe(duplex=False)
        self.results, results = ctx.Pipe(duplex=False)
        _widen(results)
        self.process = ctx.Process(target=_work, args=(tasks, results, args, cache), daemon=True)
        self.process.start()
        tasks.close()
        results.close()
        self.files: deque[int] = deque()
        self.deadline = 0.0  # when the file it is checking runs out of time

    def give(self, index: int, path: Path, budget: Budget, key: str | None) -> bool:
        try:
            self.tasks.send((index, path, budget, key))
        except OSError:  # it died meanwhile
            return False
        if not self.files:
            self.deadline = time.monotonic() + budget.seconds
        self.files.append(index)
        return True

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.tasks.close()
        self.results.close()


class _Pool:
    """The workers of one run and the state of every file: to do, given to a worker, or done (``ready``)."""

    def __init__(self, args, files: list[Path], jobs: int, keys: list[str | None], cache, ordered: bool) -> None:
        self.ctx, self.args, self.files, self.jobs = _context(), args, files, jobs
        self.keys, self.cache, self.ordered = keys, cache, ordered  # cache keys: workers keep what they check
        self.budgets = [budget_for(args, f) for f in files]
        self.todo = deque(range(len(files)))
        self.tries = [0] * len(files)
        self.ready: dict[int, FileResult] = {}
        self.workers: list[_Worker] = []

    def results(self) -> Iterator[tuple[int, FileResult]]:
        """(index in ``files``, result): in that order, or as each is ready."""
        emitted = 0
        try:
            while emitted < len(self.files):
                self.start_workers()
                self.hand_out()
                busy = [w for w in self.workers if w.files]
                if busy:
                    from multiprocessing.connection import wait
                    timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                    wait([w.results for w in busy] + [w.process.sentinel for w in busy], timeout)
                for w in busy:
                    self.collect(w)
                if not self.ordered:
                    for i in list(self.ready):
                        yield i, self.ready.pop(i)
                        emitted += 1
                while emitted in self.ready:
                    yield emitted, self.ready.pop(emitted)
                    emitted += 1
        finally:
            for w in self.workers:
                w.stop()

    def start_workers(self) -> None:
        while self.todo and len(self.workers) < self.jobs:
            try:
                self.workers.append(_Worker(self.ctx, self.args, self.cache))
            except OSError as exc:  # no process to be had (a process limit): go on with the workers there are
                if self.workers:
                    return
                i = self.todo.popleft()
                self.ready[i] = FileResult(str(self.files[i]), error=f"无法启动检查进程：{exc.strerror or exc}")

    def hand_out(self) -> None:
        # two files per worker: the next is waiting when one is done, however late the parent gets the CPU back;
        # one when few are left, so that a slow file does not hold back one queued behind it while others idle
        for w in list(self.workers):
            per = PER_WORKER if len(self.todo) >= PER_WORKER * len(self.workers) else 1
            while self.todo and len(w.files) < per:
                i = self.todo.popleft()
                if not w.give(i, self.files[i], self.budgets[i], self.keys[i]):
                    self.todo.appendleft(i)
                    self.lost(w, None)
                    break

    def collect(self, w: _Worker) -> None:
        """What became of busy worker ``w``: results, a death, or the time of its file running out."""
        while w.files and w.results.poll():
            try:
                _, payload, alive = w.results.recv()
            except (EOFError, OSError):
                break
            if isinstance(payload, tuple):  # a rule or configuration file gpalint cannot use: the run stops
                raise RuleFileError(*payload)
            if not alive:
                self.lost(w, payload)
                return
            self.ready[w.files.popleft()] = payload
            if w.files:
                w.deadline = time.monotonic() + self.budgets[w.files[0]].seconds
        if not w.files:
            return
        if not w.process.is_alive():
            self.lost(w, None)
        elif time.monotonic() >= w.deadline:
            budget = self.budgets[w.files[0]]
            self.lost(w, FileResult(str(self.files[w.files[0]]), error=_timeout_message(budget)))

    def lost(self, w: _Worker, result: FileResult | None) -> None:
        """Worker ``w`` is gone or stopped: the file it was checking gets ``result``, or else another try; the files
        waiting behind it go back to the front of the queue."""
        self.workers.remove(w)
        w.stop()
        if not w.files:
            return
        i = w.files.popleft()
        self.todo.extendleft(reversed(w.files))
        self.tries[i] += 1
        if result is not None:
            self.ready[i] = result
        elif self.tries[i] < MAX_TRIES:
            self.todo.appendleft(i)
        else:
            self.ready[i] = FileResult(str(self.files[i]), error=_death(w.process.exitcode))


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return f"检查进程被终止（信号 {name}，常见原因是内存不足被系统结束），该文件未能检查"
    return f"检查进程意外退出（退出码 {exitcode}），该文件未能检查"


# ── in the worker ─────────────────────────────────────────────────────────────────────────────────────

def _widen(conn: Connection) -> None:
    """Let a result pipe hold 1 MB (Linux; 64 KB by default): a worker then hands its result over and goes on
    with its next file instead of waiting, on a busy machine, for the parent to be scheduled and read it."""
    try:
        import fcntl
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def _work(tasks: Connection, results: Connection, args, cache) -> None:
    """A worker: check the files the parent sends, one at a time, each within its memory budget; keep each
    result in the cache (when the parent gave a key)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    base = _address_space()
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        index, path, budget, key = task
        _limit_memory(base + (budget.memory << 20))
        _alarm(budget.seconds + 10)  # the parent stops it first; this is for a parent killed meanwhile
        alive = True
        try:
            payload: FileResult | tuple = check_one(args, path)
        except RuleFileError as exc:
            payload, alive = (exc.path, exc.key, exc.problem), False
        except MemoryError:
            payload = FileResult(str(path), error=_memory_message(budget))
            alive = False  # a heap that hit its limit is best left: the parent starts a fresh worker
        _alarm(0)
        _limit_memory(None)
        if alive and key is not None and cache is not None and isinstance(payload, FileResult):
            cache.put(key, payload)  # before the result goes: the parent stops its workers once it has them all
        results.send((index, payload, alive))
        if not alive:
            return


def _alarm(seconds: float) -> None:
    """End this process (SIGALRM's default action) after ``seconds``; 0 cancels. Not on Windows."""
    if hasattr(signal, "alarm"):
        signal.alarm(int(seconds + 0.999) if seconds else 0)


def _address_space() -> int:
    """Bytes of address space this process has mapped (Linux); 0 where that cannot be read."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _rlimit() -> tuple[int, int] | None:
    """This process's address-space limit (soft, hard), or None where there is none to set."""
    try:
        import resource
        return resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, ValueError, OSError):
        return None


def _restore_rlimit(limits: tuple[int, int] | None) -> None:
    if limits is not None:
        import resource
        try:
            resource.setrlimit(resource.RLIMIT_AS, limits)
        except (ValueError, OSError):
            pass


def _limit_memory(limit: int | None) -> None:
    """Set this process's address-space limit (None: lift it again, up to the hard limit)."""
    try:
        import resource
    except ImportError:  # Windows: the time budget still applies
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = hard if limit is None or (hard != resource.RLIM_INFINITY and limit > hard) else limit
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ValueError, OSError):  # a platform that does not enforce it (macOS)
        pass
