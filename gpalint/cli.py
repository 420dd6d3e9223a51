"""Command line: gpalint check | rule | rules | extract. Argument parsing and orchestration only."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .model import FileResult, InputError
from .output import FORMATS
from .readers import SUFFIXES
from .runner import DEFAULT_MAX_MEMORY, DEFAULT_MAX_SECONDS, engine_for, options_for, run_all
from .tomlfile import RuleFileError

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line, exit 2, like every other input error
        self.print_usage(sys.stderr)
        sys.stderr.write(f"gpalint: 参数错误：{message}\n")
        raise SystemExit(EXIT_ERROR)


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in text.split(",") if c.strip()]


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"应为正数：{text}")
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its message for a value that does not parse
    return parse


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gpalint", description="政府信息公开工作年度报告检查工具（国办公开办函〔2021〕30号格式）")
    p.add_argument("--version", action="version", version=f"gpalint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="{check,rule,rules,extract}", parser_class=_Parser)
    c = sub.add_parser("check", help="检查报告（文件或目录）")
    c.add_argument("paths", nargs="*", default=["."], help="文件或目录（递归查找 .txt .md .docx .pdf .html）")
    c.add_argument("--format", choices=FORMATS, default="text")
    c.add_argument("--output", "-o", metavar="FILE", help="把结果写入文件")
    c.add_argument("--select", type=_codes, help="只检查这些规则（代码或前缀，逗号分隔：T,D101）")
    c.add_argument("--extend-select", type=_codes, default=[], help="在配置的基础上再加上这些规则")
    c.add_argument("--ignore", type=_codes, default=[], help="忽略这些规则（代码或前缀）")
    c.add_argument("--fix", action="store_true", help="自动修复安全的问题（.txt .md .docx）")
    c.add_argument("--unsafe-fixes", action="store_true", help="同时应用不安全的修复")
    c.add_argument("--diff", action="store_true", help="只显示修复的差异，不写文件")
    c.add_argument("--statistics", action="store_true", help="按规则统计问题数")
    c.add_argument("--exit-zero", action="store_true", help="有问题也以 0 退出")
    c.add_argument("--quiet", "-q", action="store_true", help="只输出问题，不输出源码摘录和汇总")
    c.add_argument("--jobs", "-j", type=int, default=0, help="并行进程数（默认：自动；不超过 CPU 数和文件数）")
    c.add_argument("--max-seconds", "--timeout", type=_positive(float), metavar="SECONDS",
                   help=f"每个文件最多检查多少秒（默认 {DEFAULT_MAX_SECONDS:g}）")
    c.add_argument("--max-memory", type=_positive(int), metavar="MB", help=f"每个文件最多使用多少 MB 内存（默认 {DEFAULT_MAX_MEMORY}）")
    c.add_argument("--template", default=None, help="模板版本：auto、2021、2019")
    c.add_argument("--year", type=int, default=None, help="报告年度（标题中没有年度时使用）")
    c.add_argument("--no-progress", action="store_true", help="不显示进度条")
    c.add_argument("--config", type=Path, help="配置文件（pyproject.toml 或 gpalint.toml）")
    r = sub.add_parser("rule", help="显示一条规则的说明")
    r.add_argument("code")
    rs = sub.add_parser("rules", help="列出全部规则")
    rs.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    e = sub.add_parser("extract", help="输出识别出的表格（json 或 csv）")
    e.add_argument("file")
    e.add_argument("--format", choices=("json", "csv"), default="json")
    e.add_argument("--template", default="auto")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "rule":
            return cmd_rule(args.code)
        if args.command == "rules":
            return cmd_rules(args.format)
        if args.command == "extract":
            return cmd_extract(args)
        build_parser().print_help()
        return EXIT_ERROR
    except RuleFileError as exc:
        sys.stderr.write(f"gpalint: 规则或配置文件有误：{exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("gpalint: 已中断\n")
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN


# ── check ─────────────────────────────────────────────────────────────────────────────────────────────

def collect(paths: list[str]) -> tuple[list[Path], list[FileResult], set[Path]]:
    """The report files under the given paths, one error result for each path that yields none, and which files
    a directory walk found (those may turn out not to be reports: a README beside the reports)."""
    files: list[Path] = []
    errors: list[FileResult] = []
    walked: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                found += [Path(root, n) for n in sorted(names) if Path(n).suffix.lower() in SUFFIXES
                          and not n.startswith(("~$", ".")) and not _excluded(Path(root, n))]
            if not found:
                errors.append(FileResult(str(p), error="目录中没有可检查的报告文件（.txt .md .docx .pdf .html）"))
            files += found
            walked.update(found)
        elif p.exists():
            files.append(p)
        else:
            errors.append(FileResult(str(p), error="文件或目录不存在"))
    return files, errors, walked


def _excluded(path: Path) -> bool:
    """Files the configuration says are not reports (README.md, 附件/*), skipped when walking directories."""
    from .config import excluded, settings_for
    return excluded(path, settings_for(path))


def cmd_check(args) -> int:
    files, errors, walked = collect(args.paths)
    results = list(run_all(args, files))
    for path, r in zip(files, results):
        if r.skipped and path in walked:  # found beside the reports, not one of them: say so, and go on
            sys.stderr.write(f"{r.path}: 已跳过：{r.error}\n")
    results = [r for path, r in zip(files, results) if not (r.skipped and path in walked)]
    from .rules import builtin_rules
    rules = dict(builtin_rules())
    if any(d.code not in rules for r in results for d in r.diagnostics):
        for f in files:  # users' extra rules, found by worker processes: the outputs need their docs here too
            rules.update(engine_for(options_for(args, f)[1]).rules)
    failed = errors + [r for r in results if r.error]
    for r in failed:
        sys.stderr.write(f"{r.path}: 错误：{r.error}\n")
    ok = [r for r in results if r.error is None]
    if not ok and not failed:
        sys.stderr.write("gpalint: 没有检查任何报告：找到的文件都不是政府信息公开工作年度报告\n")
        return EXIT_ERROR
    if args.diff:
        text = "".join(r.diff or "" for r in ok)
        _write(args, text)
        pending = any(r.diff for r in ok)
        return EXIT_ERROR if failed else (EXIT_FINDINGS if pending and not args.exit_zero else EXIT_CLEAN)
    from .output import render
    if args.format == "text":
        text = render("text", ok, rules, statistics=args.statistics, quiet=args.quiet, checked=len(ok))
        if args.fix:
            fixed = sum(r.fixed for r in ok)
            text += f"已修复 {fixed} 处问题。\n" if fixed else ""
    else:
        text = render(args.format, ok + failed, rules)
    _write(args, text)
    if failed or not ok:
        return EXIT_ERROR  # a file could not be checked, or nothing was
    if any(r.diagnostics for r in ok) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _write(args, text: str) -> None:
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    elif args.format == "text" and sys.stdout.isatty():
        from .output.color import print_colored
        print_colored(text)
    else:
        sys.stdout.write(text)


# ── rule / rules / extract ──────────────────────────────────────────────────────────────────────────────

def _all_rules() -> dict:
    """The built-in rules and the extra rules the configuration here (found upward from the current folder) adds."""
    from .config import settings_for
    return engine_for(tuple(settings_for(Path.cwd() / "_").extra_rules)).rules


def cmd_rule(code: str) -> int:
    rule = _all_rules().get(code.upper())
    if rule is None:
        sys.stderr.write(f"gpalint: 没有规则「{code}」；用 gpalint rules 查看全部规则\n")
        return EXIT_ERROR
    from .output.rulesdoc import rule_markdown
    text = rule_markdown(rule, level=1)
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown
        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)
    return EXIT_CLEAN


def cmd_rules(fmt: str) -> int:
    rules = _all_rules()
    if fmt == "json":
        import json
        data = [{"code": r.code, "name": r.name, "family": r.family, "severity": r.severity.value,
                 "fix": r.fix.value if r.fix else None, "summary": r.summary, "kind": r.kind} for r in rules.values()]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "markdown":
        from .output.rulesdoc import render_markdown
        sys.stdout.write(render_markdown(rules))
    else:
        for r in rules.values():
            fix = {"safe": "[*]", "unsafe": "[!]"}.get(r.fix.value if r.fix else "", "   ")
            sys.stdout.write(f"{r.code}  {fix} {r.severity.label}  {r.summary}\n")
    return EXIT_CLEAN


def cmd_extract(args) -> int:
    from .readers import read
    from .report import analyse
    from .report.export import tables_csv, tables_json
    try:
        report = analyse(read(args.file), args.template)
    except InputError as exc:
        sys.stderr.write(f"{args.file}: 错误：{exc}\n")
        return EXIT_ERROR
    sys.stdout.write(tables_json(report) if args.format == "json" else tables_csv(report))
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
