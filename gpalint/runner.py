"""Run the checks over the files of one command: each file on its own, within a time and a memory budget.

Files are checked in worker processes, at most one per CPU and one per file. A worker limits its own address space
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

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .model import FileResult, InputError
from .tomlfile import RuleFileError

# A 200-page report takes a few seconds and well under 500 MB; these only stop files no report resembles.
DEFAULT_MAX_SECONDS = 300.0
DEFAULT_MAX_MEMORY = 2048  # MB of address space a worker may add while it checks one file
MAX_TRIES = 2  # a file whose worker died is tried once more in a fresh worker
PER_WORKER = 2  # files given to a worker at a time


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
                      severity_fn=lambda code: severity_for(code, settings), readout=args.format == "html")
    return options, settings.rule_sources


@dataclass(frozen=True, slots=True)
class Budget:
    seconds: float
    memory: int  # MB


def budget_for(args, path: Path) -> Budget:
    """The time and memory one file may take: the command line, else its configuration, else the defaults."""
    settings = _settings(args, path)
    return Budget(args.max_seconds or settings.max_seconds or DEFAULT_MAX_SECONDS,
                  args.max_memory or settings.max_memory or DEFAULT_MAX_MEMORY)


_ENGINES: dict = {}


def engine_for(sources):
    """The compiled built-in rules and templates plus those of a configuration (its RuleSources), once per process."""
    from .engine import Engine
    if sources not in _ENGINES:
        _ENGINES[sources] = Engine.load(sources)
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
        return engine.check_path(path, options)
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


def run_all(args, files: list[Path]) -> Iterator[FileResult]:
    """One result per file, in the order of ``files``."""
    if not files:
        return iter(())
    engine_for(options_for(args, files[0])[1])  # rule errors surface here; forked workers inherit the rules
    jobs = 1 if args.fix or args.diff else worker_count(args.jobs, len(files))
    results = _Pool(args, files, jobs).results()
    progress = not args.no_progress and not args.quiet and sys.stderr.isatty() and len(files) > 1
    return _progress(results, len(files)) if progress else results


def _progress(results: Iterable[FileResult], total: int) -> Iterator[FileResult]:
    from rich.progress import Progress
    with Progress(transient=True, auto_refresh=False) as bar:  # no refresh thread: workers are forked meanwhile
        task = bar.add_task("检查中", total=total)
        for result in results:
            bar.advance(task)
            bar.refresh()
            yield result


# ── the pool ──────────────────────────────────────────────────────────────────────────────────────────

def _context():
    # fork where it is safe and cheap (Linux): workers start at once with the rules already compiled
    return multiprocessing.get_context("fork" if sys.platform == "linux" else None)


class _Worker:
    """One worker process and the files it was given, in order: the first is the one it is checking."""

    def __init__(self, ctx, args) -> None:
        tasks, self.tasks = ctx.Pipe(duplex=False)
        self.results, results = ctx.Pipe(duplex=False)
        _widen(results)
        self.process = ctx.Process(target=_work, args=(tasks, results, args), daemon=True)
        self.process.start()
        tasks.close()
        results.close()
        self.files: deque[int] = deque()
        self.deadline = 0.0  # when the file it is checking runs out of time

    def give(self, index: int, path: Path, budget: Budget) -> bool:
        try:
            self.tasks.send((index, path, budget))
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

    def __init__(self, args, files: list[Path], jobs: int) -> None:
        self.ctx, self.args, self.files, self.jobs = _context(), args, files, jobs
        self.budgets = [budget_for(args, f) for f in files]
        self.todo = deque(range(len(files)))
        self.tries = [0] * len(files)
        self.ready: dict[int, FileResult] = {}
        self.workers: list[_Worker] = []

    def results(self) -> Iterator[FileResult]:
        emitted = 0
        try:
            while emitted < len(self.files):
                self.start_workers()
                self.hand_out()
                busy = [w for w in self.workers if w.files]
                if busy:
                    timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                    wait([w.results for w in busy] + [w.process.sentinel for w in busy], timeout)
                for w in busy:
                    self.collect(w)
                while emitted in self.ready:
                    yield self.ready.pop(emitted)
                    emitted += 1
        finally:
            for w in self.workers:
                w.stop()

    def start_workers(self) -> None:
        while self.todo and len(self.workers) < self.jobs:
            try:
                self.workers.append(_Worker(self.ctx, self.args))
            except OSError as exc:  # no process to be had (a process limit): go on with the workers there are
                if self.workers:
                    return
                i = self.todo.popleft()
                self.ready[i] = FileResult(str(self.files[i]), error=f"无法启动检查进程：{exc.strerror or exc}")

    def hand_out(self) -> None:
        # two files per worker: the next is waiting when one is done, however late the parent gets the CPU back
        for w in list(self.workers):
            while self.todo and len(w.files) < PER_WORKER:
                i = self.todo.popleft()
                if not w.give(i, self.files[i], self.budgets[i]):
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
            seconds = self.budgets[w.files[0]].seconds
            self.lost(w, FileResult(str(self.files[w.files[0]]), error=f"检查超时：超过 {seconds:g} 秒仍未完成，已停止"
                                                                      f"（可用 --max-seconds 或配置项 max-seconds 放宽）"))

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


def _work(tasks: Connection, results: Connection, args) -> None:
    """A worker: check the files the parent sends, one at a time, each within its memory budget."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    base = _address_space()
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        index, path, budget = task
        _limit_memory(base + (budget.memory << 20))
        _alarm(budget.seconds + 10)  # the parent stops it first; this is for a parent killed meanwhile
        alive = True
        try:
            payload: FileResult | tuple = check_one(args, path)
        except RuleFileError as exc:
            payload, alive = (exc.path, exc.key, exc.problem), False
        except MemoryError:
            payload = FileResult(str(path), error=f"检查时内存超出上限（{budget.memory} MB），已停止"
                                                  f"（可用 --max-memory 或配置项 max-memory 放宽）")
            alive = False  # a heap that hit its limit is best left: the parent starts a fresh worker
        _alarm(0)
        _limit_memory(None)
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
