"""Command line: gpalint check | rule | rules | extract. Argument parsing and orchestration only.

Every way a run can fail ends in one Chinese line on stderr and exit 2 (1 means "findings", so a traceback that
exits 1 would read as a report with problems): bad arguments, bad configuration, an output that cannot be written,
and, as a last resort in ``main``, anything unexpected.
"""
from __future__ import annotations

import argparse
import os
import re
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .oserrors import describe
from .output import FORMATS, SUFFIX_FORMATS, display_path, encodable, printable

# The rest of gpalint is imported where it is used: `gpalint --version`, and a run the cache serves, pay only
# for what they need (pre-commit and editors start gpalint often).
if TYPE_CHECKING:
    from .model import FileResult

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITIES = ("error", "warning", "info")  # model.Severity's values, most serious first


class CommandError(Exception):
    """The run cannot go on (an unknown rule code, an output that cannot be written): one Chinese line, exit 2."""


# ── arguments ─────────────────────────────────────────────────────────────────────────────────────────

# argparse formats its messages in English before error() sees them (Python 3.10–3.13 wording); in Chinese here,
# without gettext catalogues. A message not listed is shown as argparse wrote it.
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1（文件名以 - 开头时，请写在 -- 之后）"),
    (r"invalid choice: (.*?) \(choose from (.*)\)", r"无效的取值 \1（可选：\2）"),
    (r"invalid \S+ value: (.*)", r"无效的值 \1"),
    (r"expected one argument", r"需要一个值"),
    (r"expected at most one argument", r"最多需要一个值"),
    (r"expected at least one argument", r"至少需要一个值"),
    (r"expected (\d+) arguments?", r"需要 \1 个值"),
    (r"ignored explicit argument (.*)", r"不接受值 \1"),
    (r"not allowed with argument (.*)", r"不能与参数 \1 同时使用"),
    (r"one of the arguments (.*) is required", r"必须给出参数 \1 之一"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
)


def chinese_argparse_message(message: str) -> str:
    m = re.fullmatch(r"argument (\S+?): (.*)", message, re.S)
    where, text = (f"参数 {m.group(1)}：", m.group(2)) if m else ("", message)
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, text, re.S):
            text = re.sub(pattern, replacement, text, flags=re.S)
            break
    return where + text


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """Help and errors in Chinese: section titles are our argument groups (argparse's own "options" and "positional
    arguments" groups stay empty and are not shown), usage and messages translated."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.positionals = self.add_argument_group("参数")
        self.options = self.add_argument_group("选项")
        self.options.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message):  # usage errors: one line, exit 2, like every other input error
        self.print_usage(sys.stderr)
        sys.stderr.write(f"gpalint: 参数错误：{printable(chinese_argparse_message(message))}\n")
        raise SystemExit(EXIT_ERROR)


def _codes(text: str) -> list[str]:
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    if not codes:
        raise argparse.ArgumentTypeError("应为逗号分隔的规则代码或前缀，如 T,D101")
    return codes


def _year(text: str) -> int:
    # the Regulations on disclosure (条例) date from 2008, as the configuration's `year` says
    if not re.fullmatch(r"\d{4}", text.strip()) or not 2008 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"「{text}」不是年份：应为 2008 至 2100 之间的四位数年份，如 2024")
    return int(text)


def _template(text: str) -> str:
    # the built-in templates and those of the configuration that applies here (its extra-templates)
    from .config import settings_for
    from .report.template import load_templates
    allowed = ["auto", *load_templates(tuple(settings_for(Path.cwd() / "_").extra_templates)).by_version]
    if text not in allowed:
        raise argparse.ArgumentTypeError(f"没有模板「{text}」：可用 {'、'.join(allowed)}")
    return text


def _jobs(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"「{text}」不是进程数：应为 0（自动）或正整数")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"「{text}」不是秒数：应为正数")
    return value


def _megabytes(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"「{text}」不是兆字节数：应为正整数")
    return int(text)


EXIT_CODES = "退出码：0 没有发现问题；1 发现了问题；2 参数或配置有误，或有文件无法检查（每个文件一行说明，其余文件照常检查）。"

MAIN_EPILOG = f"""示例：
  gpalint check 报告/                          检查目录中的全部报告（.txt .md .docx .doc .wps .pdf .html）
  gpalint check 2024年报告.docx --fix           检查，并自动修复可安全修复的问题
  gpalint check . -o 结果.sarif                 结果写入文件，格式按扩展名（.json .sarif .xml .html）
  gpalint rule T103                            查看一条规则的说明
  gpalint extract 报告.pdf --format csv         输出识别出的统计表

{EXIT_CODES}
每个命令的选项：gpalint 命令 -h"""

CHECK_EPILOG = f"""示例：
  gpalint check 报告/ --select T,D --ignore T110
  gpalint check 报告/ --severity warning -q      只列出警告和错误，不显示摘录和汇总
  gpalint check 报告/ --format github            在 GitHub Actions 中标注问题
  gpalint check -- -附件.txt                     文件名以 - 开头时写在 -- 之后

{EXIT_CODES}
--severity 只影响报告哪些问题：低于该级别的问题不显示、不计入退出码，也不出现在 json/sarif 等输出中；
--fix 修复的范围仍由 --select/--ignore 决定。"""


def build_parser() -> argparse.ArgumentParser:
    from .runner import DEFAULT_MAX_MEMORY, DEFAULT_MAX_SECONDS
    p = _Parser(prog="gpalint", description="政府信息公开工作年度报告检查工具（国办公开办函〔2021〕30号格式）",
                epilog=MAIN_EPILOG)
    p.options.add_argument("--version", action="version", version=f"gpalint {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser,
                           help="gpalint 命令 -h：该命令的选项")
    c = sub.add_parser("check", help="检查报告（文件或目录）", description="检查政府信息公开工作年度报告。",
                       epilog=CHECK_EPILOG)
    c.positionals.add_argument(
        "paths", nargs="*", default=["."], metavar="路径", help="文件或目录（递归查找 .txt .md .docx .doc .wps .pdf .html；默认当前目录）")
    o = c.options
    o.add_argument("--format", choices=FORMATS, default=None,
                   help="输出格式（默认 text；给了 --output 时按其扩展名：.json .sarif .xml（junit） .html）")
    o.add_argument("--output", "-o", metavar="文件", help="把结果写入文件（不能是被检查的文件）")
    o.add_argument("--select", type=_codes, metavar="代码", help="只检查这些规则（代码或前缀，逗号分隔：T,D101）")
    o.add_argument("--extend-select", type=_codes, default=[], metavar="代码", help="在配置的基础上再加上这些规则")
    o.add_argument("--ignore", type=_codes, default=[], metavar="代码", help="忽略这些规则（代码或前缀）")
    o.add_argument("--severity", choices=SEVERITIES, default=None,
                   help="只报告不低于此级别的问题：error 只报告错误，warning 报告错误和警告")
    o.add_argument("--fix", action="store_true", help="自动修复安全的问题（.txt .md .docx）")
    o.add_argument("--unsafe-fixes", action="store_true", help="同时应用不安全的修复")
    o.add_argument("--diff", action="store_true", help="只显示修复的差异，不写文件")
    o.add_argument("--annotate", metavar="目录", default=None,
                   help="把每份 Word 文档（.docx）复制到该目录，每个问题在出错的文字或单元格上加一条 Word 批注（原文件不变）")
    o.add_argument("--statistics", action="store_true", help="按规则统计问题数")
    o.add_argument("--exit-zero", action="store_true", help="有问题也以 0 退出")
    o.add_argument("--quiet", "-q", action="store_true", help="只输出问题行，不输出源码摘录和汇总")
    o.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                   help="并行进程数（默认 0：自动；不超过 CPU 数和文件数）")
    o.add_argument("--max-seconds", "--timeout", type=_seconds, metavar="秒",
                   help=f"每个文件最多检查多少秒，超出则报告该文件未能检查（默认 {DEFAULT_MAX_SECONDS:g}）")
    o.add_argument("--max-memory", type=_megabytes, metavar="MB",
                   help=f"检查每个文件最多使用多少 MB 内存（默认 {DEFAULT_MAX_MEMORY}）")
    o.add_argument("--previous", metavar="文件", default=None,
                   help="同一单位上一年度的报告：与之比较结转数据和雷同内容（只读取，不检查；目录中的报告按单位和年度自动配对）")
    o.add_argument("--template", type=_template, default=None, metavar="版本", help="模板版本：auto、2021、2019")
    o.add_argument("--year", type=_year, default=None, metavar="年度", help="报告年度（标题中没有年度时使用）")
    o.add_argument("--pdf-engine", choices=("auto", "pdfium", "pdfminer"), default=None,
                   help="读取 PDF 的引擎：auto（默认，装有 pypdfium2 时用 pdfium）、pdfium、pdfminer")
    o.add_argument("--no-progress", action="store_true", help="不显示进度条")
    o.add_argument("--no-cache", action="store_true",
                   help="不读也不写结果缓存（.gpalint_cache/：未改动的报告不再重新检查；--fix、--diff、--annotate 不用缓存）")
    o.add_argument("--config", type=Path, metavar="文件", help="配置文件（pyproject.toml 或 gpalint.toml）")
    b = o.add_mutually_exclusive_group()
    b.add_argument("--write-baseline", type=Path, metavar="文件", help="把本次发现的问题记入基线文件（视为已知问题）")
    b.add_argument("--baseline", type=Path, metavar="文件", help="只报告基线文件中没有的新问题")
    r = sub.add_parser("rule", help="显示一条规则的说明", description="显示一条规则的说明、依据和示例。")
    r.positionals.add_argument("code", metavar="代码", help="规则代码，如 T103")
    rs = sub.add_parser("rules", help="列出全部规则", description="列出全部规则（含配置中的自定义规则）。")
    rs.options.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="输出格式")
    e = sub.add_parser("extract", help="输出识别出的表格（json、csv 或 xlsx）", description="输出 gpalint 识别出的统计表。")
    e.positionals.add_argument("paths", nargs="+", metavar="路径",
                               help="一份报告（json、csv）；xlsx 可以是多个文件或目录，每份报告一行")
    e.options.add_argument("--format", choices=("json", "csv", "xlsx"), default="json",
                           help="输出格式（xlsx：每张表一个工作表，需要 openpyxl）")
    e.options.add_argument("--output", "-o", metavar="文件", help="写入文件（xlsx 输出到终端时必须给出）")
    e.options.add_argument("--template", type=_template, default="auto", metavar="版本", help="模板版本：auto、2021、2019")
    add_test_rules_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:  # without building the parser
        sys.stdout.write(f"gpalint {__version__}\n")
        return EXIT_CLEAN
    args = build_parser().parse_args(argv)
    from .tomlfile import RuleFileError
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "rule":
            return cmd_rule(args.code)
        if args.command == "rules":
            return cmd_rules(args.format)
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "test-rules":
            return cmd_test_rules(args.directory, args.local_prefix)
        build_parser().print_help()
        return EXIT_ERROR
    except RuleFileError as exc:
        _say(f"gpalint: 规则或配置文件有误：{exc}")
    except CommandError as exc:
        _say(f"gpalint: {exc}")
    except KeyboardInterrupt:
        _say("gpalint: 已中断")
        return 130
    except BrokenPipeError:  # the reader went away (| head): nothing more to say, and nothing to flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CLEAN
    except MemoryError:
        _say("gpalint: 内存不足，检查未能完成：请分批检查，或用 --select 减少规则")
    except OSError as exc:
        _say(f"gpalint: {describe(exc)}" + (f"：{exc.filename}" if exc.filename else ""))
    except Exception as exc:  # the last resort: never a traceback (exit 1 would read as "findings")
        _say(f"gpalint: 内部错误（请报告此问题）：{type(exc).__name__}: {exc}")
    return EXIT_ERROR


def _say(line: str) -> None:
    """One line on stderr, made harmless for a terminal or CI log."""
    sys.stderr.write(encodable(printable(line)) + "\n")


# ── check ─────────────────────────────────────────────────────────────────────────────────────────────

def collect(paths: list[str]) -> tuple[list[Path], list[FileResult], set[Path]]:
    """The report files under the given paths, one error result for each path that yields none and for each
    file or folder a walk could not read, and which files a directory walk found (those may turn out not to be
    reports: a README beside the reports)."""
    files: list[Path] = []
    errors: list[FileResult] = []
    walked: set[Path] = set()
    seen: set[tuple[int, int]] = set()  # (device, inode) of the files kept
    from .model import FileResult

    def first(path: Path, st: os.stat_result) -> bool:
        """Whether ``path`` is not a file already kept: `a.txt ./a.txt`, a file and its folder, a hard link are
        one report, checked and reported once under the name it was first given."""
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return False
        seen.add(key)
        return True

    for raw in paths:
        p = Path(raw)
        try:
            st = p.stat()
        except OSError as exc:
            errors.append(FileResult(str(p), error=describe(exc)))
            continue
        if not stat.S_ISDIR(st.st_mode):
            if first(p, st):
                files.append(p)  # a pipe or device is refused by the reader, which checks before it opens
            continue
        before = len(errors)
        listed = _walk(p, errors)
        if not listed and len(errors) == before:
            errors.append(FileResult(str(p), error="目录中没有可检查的报告文件（.txt .md .docx .doc .wps .pdf .html）"))
        found = [f for f, f_st in listed if first(f, f_st)]
        files += found
        walked.update(found)
    return files, errors, walked


def _walk(folder: Path, errors: list[FileResult]) -> list[tuple[Path, os.stat_result]]:
    from .model import FileResult
    from .readers import SUFFIXES
    def unreadable(exc: OSError) -> None:
        errors.append(FileResult(str(exc.filename or folder), error=f"无法读取目录：{describe(exc)}"))

    found = []
    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            if Path(name).suffix.lower() not in SUFFIXES or name.startswith(("~$", ".")):
                continue
            path = Path(root, name)
            try:
                st = path.stat()  # a broken or looping symbolic link
            except OSError as exc:
                errors.append(FileResult(str(path), error=f"无法读取文件：{describe(exc)}"))
                continue
            if not _excluded(path):
                found.append((path, st))
    return found


def _excluded(path: Path) -> bool:
    """Files the configuration says are not reports (README.md, 附件/*), skipped when walking directories."""
    from .config import excluded, settings_for
    return excluded(path, settings_for(path))


def cmd_check(args) -> int:
    if args.format is None:  # --output x.sarif says the format
        args.format = SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "text") if args.output else "text"
    files, errors, walked = collect(args.paths)
    output = _output_target(args.output, files, walked)
    if args.write_baseline:  # the same checks: its folder is writable, and it is not one of the reports
        _output_target(str(args.write_baseline), files, walked)
    if output is not None and output.exists():  # last run's output, found again by walking the folder
        files = [f for f in files if not (f in walked and _same_file(f, output))]
    if args.annotate:
        files = _annotate_targets(args, files, walked)
    rules = _check_selectors(args, files)
    # the rules comparing two reports need each report's digest (gpalint/years.py)
    args.pairing = not (args.fix or args.diff) and (args.previous is not None or len(files) > 1)
    if args.format in ("text", "json") and not (args.write_baseline or args.baseline or args.diff):
        return _check_streaming(args, files, errors, walked, rules, output)
    from .runner import run_all
    results = list(run_all(args, files))
    _say_annotated(args, results)
    skipped = [r for path, r in zip(files, results) if r.skipped and path in walked]
    for r in skipped:  # found beside the reports, not one of them: say so, and go on
        _say(f"{display_path(r.path)}: 已跳过：{r.error}")
    results = [r for path, r in zip(files, results) if not (r.skipped and path in walked)]
    failed = errors + [r for r in results if r.error]
    for r in failed:
        _say(f"{display_path(r.path)}: 错误：{r.error}")
    ok = [r for r in results if r.error is None]
    if not ok and not failed:
        _say(NOTHING_CHECKED)
        return EXIT_ERROR
    pairing = _cross_check(args, ok, failed) if args.pairing else []  # every file's own result is in
    hidden = _filter_severity(ok, args.severity)
    if args.write_baseline or args.baseline:
        _use_baseline(args, ok)
        if args.write_baseline:
            return EXIT_ERROR if failed else EXIT_CLEAN
    if args.diff:
        text = "".join(r.diff or "" for r in ok)
        _write(output, args.format, text)
        pending = any(r.diff for r in ok)
        return EXIT_ERROR if failed else (EXIT_FINDINGS if pending and not args.exit_zero else EXIT_CLEAN)
    from .output import render
    try:
        if args.format == "text":
            text = render("text", ok + failed, rules, statistics=args.statistics, quiet=args.quiet, hidden=hidden,
                          pairing=pairing)
            if args.fix:
                fixed = sum(r.fixed for r in ok)
                text += f"已修复 {fixed} 处问题。\n" if fixed else ""
        elif args.format == "html":  # the review page lists the files it skipped, with the reason
            text = render("html", ok + failed, rules, skipped=skipped, pairing=pairing)
        else:
            text = render(args.format, ok + failed, rules)
    except MemoryError:
        count = sum(len(r.diagnostics) for r in ok)
        raise CommandError(f"内存不足，无法生成 {args.format} 格式的结果（共 {count} 个问题）："
                           "请分批检查，或用 --select、--severity 减少问题") from None
    _write(output, args.format, text)
    if failed or not ok:
        return EXIT_ERROR  # a file could not be checked, or nothing was
    if any(r.diagnostics for r in ok) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


NOTHING_CHECKED = "gpalint: 没有检查任何报告：找到的文件都不是政府信息公开工作年度报告"


def shared(data):
    """``data`` (a digest: plain dicts, lists, strings, numbers) with its keys and short strings interned: the
    digests of a batch repeat the same labels and cell names in every report, and each arrives from its worker as
    new strings (10,000 digests took 160 MB, most of it copies of the same few hundred strings)."""
    if isinstance(data, str):
        return sys.intern(data) if len(data) <= 200 else data
    if isinstance(data, dict):
        return {sys.intern(k) if isinstance(k, str) else k: shared(v) for k, v in data.items()}
    if isinstance(data, list):
        return [shared(v) for v in data]
    if isinstance(data, tuple):
        return tuple(shared(v) for v in data)
    return data


def _say_annotated(args, results: list[FileResult]) -> None:
    if args.annotate:
        written = sum(1 for r in results if r.annotated)
        if written:
            _say(f"gpalint: 已在「{display_path(args.annotate)}」中写入 {written} 份带批注的 Word 文档")


def _check_streaming(args, files: list[Path], errors: list[FileResult], walked: set[Path], rules: dict,
                     output: Path | None) -> int:
    """text and json: each file's findings are written as it is checked, and only counts and the small part of
    each result (its digest for the pairing) are kept: 10,000 reports in the memory of a few. On a terminal (text)
    files are shown as they finish; otherwise in the order of the files, so the output is the same from run to run.
    The findings of the rules comparing two reports come after all the files' own (in JSON with ``previous``)."""
    from dataclasses import replace

    from .model import FileResult
    from .output.json import JsonWriter
    from .output.text import TextWriter
    from .runner import run_all
    live = args.format == "text" and output is None and sys.stdout.isatty()
    named = {str(f): f for f in files}
    skipped: list[FileResult] = []
    failed = list(errors)
    checked: list[FileResult] = []
    announced: list[FileResult] = []
    hidden, found = 0, False
    writer = TextWriter(rules, args.statistics, args.quiet) if args.format == "text" else JsonWriter()

    def pieces():
        nonlocal hidden, found
        for r in errors:
            writer.file(r)  # counted (text), or listed at the end (json)
        for r in run_all(args, files, ordered=not live):
            if r.skipped and named.get(r.path) in walked:
                skipped.append(r)
            elif r.error is not None:
                failed.append(r)
                writer.file(r)
            else:
                hidden += _filter_severity([r], args.severity)
                yield writer.file(r)
                found = found or bool(r.diagnostics)
                checked.append(replace(r, diagnostics=[], digest=shared(r.digest)))
        if not checked and not failed:
            return
        # every file's own result is in: the reports are paired and compared (gpalint/years.py) from what each
        # kept (its digest); their findings follow the files' own
        said = len(failed)
        pairing = _cross_check(args, checked, failed) if args.pairing else []
        announced.extend(failed[said:])  # an unreadable --previous: said already
        for r in failed[said:]:
            writer.file(r)
        extra = FileResult("", diagnostics=[d for r in checked for d in r.diagnostics])
        previous = {r.path: r.previous for r in checked if r.previous is not None}
        for r in checked:
            r.diagnostics = []
        hidden += _filter_severity([extra], args.severity)
        if extra.diagnostics:
            yield writer.extra(extra.diagnostics, previous)
            found = True
        yield writer.end(hidden, pairing)
        if args.format == "text":
            fixed = sum(r.fixed for r in checked)
            yield f"已修复 {fixed} 处问题。\n" if args.fix and fixed else ""

    try:
        _write_pieces(output, args.format, pieces(), live)
    except MemoryError:
        raise CommandError(f"内存不足，无法生成 {args.format} 格式的结果：请分批检查，或用 --select、--severity 减少问题") from None
    _say_annotated(args, checked)
    for r in skipped:  # found beside the reports, not one of them: say so, and go on
        _say(f"{display_path(r.path)}: 已跳过：{r.error}")
    for r in failed:
        if not any(r is a for a in announced):
            _say(f"{display_path(r.path)}: 错误：{r.error}")
    if not checked and not failed:
        _say(NOTHING_CHECKED)
        return EXIT_ERROR
    if failed or not checked:
        return EXIT_ERROR
    return EXIT_FINDINGS if found and not args.exit_zero else EXIT_CLEAN


def _cross_check(args, ok: list[FileResult], failed: list[FileResult]) -> list[str]:
    """Pair the reports by agency and year (or with --previous) and add the findings of the rules that compare two
    reports (gpalint/years.py); the pairing's lines for the text summary. An unreadable --previous is a failed file."""
    from .years import CommandBatch, cross_check, read_previous
    batch = CommandBatch(args)
    previous = read_previous(batch, args.previous) if args.previous is not None else None
    if previous is not None and previous.error is not None:
        _say(f"{display_path(previous.path)}: 错误：{previous.error}")
        failed.append(previous)
        return []
    outcome = cross_check(batch, ok, previous)
    last_of = {this: last for _, last, this in outcome.pairs}
    for r in ok:
        found = outcome.findings.get(r.path)
        if found:
            r.diagnostics = sorted(r.diagnostics + found, key=lambda d: d.sort_key())
        r.previous = last_of.get(r.path)
    return outcome.summary([*ok, *([previous] if previous else [])])


def _use_baseline(args, results: list[FileResult]) -> None:
    """--write-baseline: record the findings; --baseline: keep only the new ones, and say how many are gone."""
    from .baseline import BaselineError, apply, write
    if args.write_baseline:
        try:
            count = write(args.write_baseline, results)
        except OSError as exc:
            raise CommandError(f"无法写入基线文件「{display_path(str(args.write_baseline))}」：{describe(exc)}") from None
        _say(f"gpalint: 已把 {count} 个问题记入基线文件 {display_path(str(args.write_baseline))}")
        return
    before = sum(len(r.diagnostics) for r in results)
    try:
        gone = apply(args.baseline, results)
    except BaselineError as exc:
        raise CommandError(str(exc)) from None
    known = before - sum(len(r.diagnostics) for r in results)
    _say(f"gpalint: 基线中的 {known} 个已知问题未列出" + (f"；基线中有 {gone} 个问题已不再出现" if gone else ""))


def _annotate_targets(args, files: list[Path], walked: set[Path]) -> list[Path]:
    """Check --annotate and name the annotated copies (``args.annotate_targets``); the files to check, without
    the copies of an earlier run that a folder walk found in OUTDIR."""
    from .annotate import targets
    if args.fix or args.diff:
        raise CommandError("--annotate 不能与 --fix 或 --diff 同时使用：请先修复，再生成批注副本")
    outdir = Path(args.annotate)
    if outdir.exists() and not outdir.is_dir():
        raise CommandError(f"--annotate 的目标「{display_path(args.annotate)}」不是目录")
    inside = outdir.resolve()
    files = [f for f in files if not (f in walked and inside in f.resolve().parents)]
    args.annotate_targets = targets(outdir, files)
    others = [f for f in files if f not in args.annotate_targets]
    if others:
        names = "、".join(f"「{display_path(str(f))}」" for f in others[:3]) + (
            f"等 {len(others)} 个文件" if len(others) > 3 else "")
        _say(f"gpalint: --annotate 只适用于 Word 文档（.docx）：{names}已照常检查，未生成批注副本")
    return files


def _filter_severity(results: list[FileResult], minimum: str | None) -> int:
    """Drop the findings below ``minimum`` (--severity) from every result; how many were dropped."""
    if minimum is None:
        return 0
    from .model import Severity
    shown = [Severity(s) for s in SEVERITIES[:SEVERITIES.index(minimum) + 1]]
    hidden = 0
    for r in results:
        kept = [d for d in r.diagnostics if Severity(d.severity) in shown]
        hidden += len(r.diagnostics) - len(kept)
        r.diagnostics = kept
    return hidden


def _check_selectors(args, files: list[Path]) -> dict:
    """Refuse rule codes and prefixes that name no rule, on the command line and in the configuration (a typo in
    --ignore must not silently keep a rule on, one in --select must not silently check nothing). Known means a
    rule of the rule set that applies: the built-in rules and the configuration's extra rules. Returns all those
    rules (the outputs document every rule a finding can come from)."""
    from .config import load_settings, settings_for
    from .runner import rules_for
    from .tomlfile import RuleFileError
    if args.config:
        configs = [load_settings(args.config)]
    else:
        configs = list({id(s): s for s in map(settings_for, files or [Path.cwd() / "_"])}.values())
    rules: dict = {}
    for settings in configs:
        known = rules_for(settings.rule_sources)
        rules.update(known)
        if settings.config_path is None:
            continue
        prefix = "tool.gpalint." if settings.config_path.name == "pyproject.toml" else ""
        listed = [("select", settings.select), ("ignore", settings.ignore), ("extend-select", settings.extend_select),
                  *((f'per-file-ignores."{glob}"', codes) for glob, codes in settings.per_file_ignores),
                  *((f"severity.{code}", [code]) for code in settings.severity)]
        for key, selectors in listed:
            for selector in selectors:
                if not _names_a_rule(selector, known):
                    raise RuleFileError(settings.config_path, prefix + key,
                                        f"「{selector}」不是任何规则的代码或前缀；用 gpalint rules 查看全部规则")
    for flag, selectors in (("--select", args.select or []), ("--ignore", args.ignore),
                            ("--extend-select", args.extend_select)):
        for selector in selectors:
            if not _names_a_rule(selector, rules):
                raise CommandError(f"参数错误：{flag} 中的「{selector}」不是任何规则的代码或前缀；"
                                   "用 gpalint rules 查看全部规则")
    return rules


def _names_a_rule(selector: str, rules: dict) -> bool:
    return selector == "ALL" or any(code.startswith(selector) for code in rules)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# how gpalint's own outputs start (json, sarif, junit, html) or end (the text summary)
_OUTPUT_HEADS = ("[", "{", "<?xml", "<!DOCTYPE html>")
_OUTPUT_TAILS = ("共发现", "全部通过", "没有检查任何报告", "检查了")


def _earlier_output(path: Path) -> bool:
    """Whether ``path``, found by a folder walk, is what an earlier run of gpalint wrote there (then it is left out
    of the check and overwritten), not a report of that folder."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace").lstrip("\ufeff \r\n")
            f.seek(max(0, f.seek(0, os.SEEK_END) - 2048))
            tail = f.read().decode("utf-8", "replace")
    except OSError:
        return False
    return head.startswith(_OUTPUT_HEADS) or any(w in tail for w in _OUTPUT_TAILS)


def _output_target(output: str | None, files: list[Path], walked: set[Path]) -> Path | None:
    """The --output file, checked before the run: its folder exists and is writable, it is not a folder, and it
    is not one of the files named to be checked (a file named `-o001_report.txt` among `*.txt` would otherwise
    overwrite 001_report.txt). A file a folder walk found there is left out of the check instead."""
    if not output:
        return None
    target = Path(output)
    shown = display_path(output)
    folder = target.parent
    if not folder.is_dir():
        raise CommandError(f"无法写入结果文件「{shown}」：所在的文件夹不存在")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise CommandError(f"无法写入结果文件「{shown}」：{describe(exc)}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise CommandError(f"无法写入结果文件「{shown}」：这是一个目录，不是文件")
    if mode is not None and any(f not in walked and _same_file(f, target) for f in files):
        raise CommandError(f"结果文件「{shown}」是要检查的文件之一，拒绝覆盖"
                           "（文件名以 - 开头时，请写在 -- 之后：gpalint check -- -文件名）")
    if mode is not None and any(f in walked and _same_file(f, target) for f in files) and not _earlier_output(target):
        raise CommandError(f"结果文件「{shown}」是文件夹中的一份报告，不是 gpalint 上次写的结果，拒绝覆盖")
    written_into = mode is not None and _written_into(target)
    if (mode is not None and not os.access(target, os.W_OK)) or \
            (not written_into and not os.access(folder, os.W_OK | os.X_OK)):
        raise CommandError(f"无法写入结果文件「{shown}」：没有写入权限")
    return target


def _is_stdout(path: Path) -> bool:
    try:
        st, out = path.stat(), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):  # no such file, or stdout is not a real file (captured in tests)
        return False
    return (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino)


def _written_into(path: Path) -> bool:
    """Whether --output goes into the existing ``path`` rather than replacing it: a symbolic link (/dev/stdout, a
    link the user keeps) or anything but a regular file (a pipe, /dev/null). Replacing those would take them away."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    return stat.S_ISLNK(mode) or not stat.S_ISREG(mode)


def _write_pieces(output: Path | None, fmt: str, pieces, live: bool) -> None:
    """Write the output as it comes, piece by piece: into --output (replaced atomically at the end, as ``_write``
    does), or to stdout (coloured on a terminal)."""
    if output is not None and _is_stdout(output):
        output = None
    if output is None:
        if live:
            from .output.color import print_colored
        for piece in pieces:
            if piece:
                print_colored(encodable(piece)) if live else sys.stdout.write(encodable(piece))
                sys.stdout.flush() if live else None
        return

    class Nothing(Exception):
        """Nothing was checked: the output file is left as it was (as when the output is written at once)."""

    def write(f) -> None:
        wrote = False
        for piece in pieces:
            f.write(encodable(piece).encode("utf-8"))
            wrote = wrote or bool(piece)
        if not wrote:
            raise Nothing
    try:
        if _written_into(output):
            with open(output, "wb") as f:
                write(f)
        else:
            from .atomic import replace_atomically
            replace_atomically(output, write)
    except Nothing:
        pass
    except OSError as exc:
        raise CommandError(f"无法写入结果文件「{display_path(str(output))}」：{describe(exc)}") from None


def _write(output: Path | None, fmt: str, text: str) -> None:
    text = encodable(text)
    if output is not None and _is_stdout(output):  # -o /dev/stdout: opening it anew would truncate a redirected log
        output = None
    if output is not None:
        try:
            write_output(output, text)
        except OSError as exc:
            raise CommandError(f"无法写入结果文件「{display_path(str(output))}」：{describe(exc)}") from None
    elif fmt == "text" and sys.stdout.isatty():
        from .output.color import print_colored
        print_colored(text)
    else:
        sys.stdout.write(text)


def write_output(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (a reader sees the old content or the new, never half a
    file). A link, a device or a pipe (``-o /dev/stdout``) is written into instead (see _written_into)."""
    if _written_into(path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        from .atomic import replace_atomically
        replace_atomically(path, text.encode("utf-8"))


# ── rule / rules / extract ──────────────────────────────────────────────────────────────────────────────

def _all_rules() -> dict:
    """The built-in rules and the extra rules the configuration here (found upward from the current folder) adds."""
    from .config import settings_for
    from .runner import rules_for
    return rules_for(settings_for(Path.cwd() / "_").rule_sources)


def cmd_rule(code: str) -> int:
    rule = _all_rules().get(code.upper())
    if rule is None:
        _say(f"gpalint: 没有规则「{code}」；用 gpalint rules 查看全部规则")
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
    from .model import InputError
    from .report.export import tables_csv, tables_json
    if args.format == "xlsx":
        return _extract_workbook(args)
    if len(args.paths) > 1:
        raise CommandError(f"参数错误：{args.format} 格式一次只导出一份报告；多份报告请用 --format xlsx")
    path = args.paths[0]
    try:
        report = _extract_report(Path(path), args.template)
    except InputError as exc:
        _say(f"{display_path(path)}: 错误：{exc}")
        return EXIT_ERROR
    output = _output_target(args.output, [Path(path)], set())
    _write(output, args.format, tables_json(report) if args.format == "json" else tables_csv(report))
    return EXIT_CLEAN


def _extract_report(path: Path, template: str):
    """The Report of one file for extract, with the templates of the configuration that applies to it."""
    from .config import settings_for
    from .readers import read
    from .report import analyse
    from .report.template import load_templates
    templates = load_templates(tuple(settings_for(path).extra_templates))
    return analyse(read(path), template, templates=templates)


def _extract_workbook(args) -> int:
    """extract --format xlsx: the tables of every report under the paths, one row per report (gpalint.output.xlsx)."""
    from .model import InputError, NotAReport
    from .output import xlsx
    from .output.readout import readout
    if not xlsx.available():
        raise CommandError(xlsx.MISSING)
    if not args.output and sys.stdout.isatty():
        raise CommandError("参数错误：xlsx 是二进制文件，请用 --output 指定要写入的文件，如 -o 统计表.xlsx")
    files, errors, walked = collect(args.paths)
    output = _output_target(args.output, files, walked)
    reports, failed = [], [(r.path, r.error or "") for r in errors]
    for path in files:
        try:
            reports.append((str(path), readout(_extract_report(path, args.template))))
        except NotAReport as exc:
            if path not in walked:
                failed.append((str(path), str(exc)))
            else:
                _say(f"{display_path(str(path))}: 已跳过：{exc}")
        except InputError as exc:
            failed.append((str(path), str(exc)))
    for name, reason in failed:
        _say(f"{display_path(name)}: 错误：{reason}")
    data = xlsx.workbook(reports, failed)
    if output is not None:
        from .atomic import replace_atomically
        try:
            replace_atomically(output, data)
        except OSError as exc:
            raise CommandError(f"无法写入结果文件「{display_path(str(output))}」：{describe(exc)}") from None
    else:
        sys.stdout.buffer.write(data)
    return EXIT_ERROR if failed or not reports else EXIT_CLEAN


# ── test-rules ──────────────────────────────────────────────────────────────────────────────────────────

def add_test_rules_parser(sub) -> None:
    t = sub.add_parser("test-rules", help="运行规则文件中的示例（内置规则目录，或本省规则目录）",
                       description="运行规则文件中的示例：bad 应报告、good 应通过、fixed 为修复结果。")
    t.positionals.add_argument("directory", type=Path, metavar="目录", help="规则目录（如 rules/ 或本省的 extra-rules 目录）")
    t.options.add_argument("--local-prefix", metavar="前缀",
                           help="本地规则的代码前缀（默认：目录所在配置的 local-prefix，如 JS）")


def cmd_test_rules(directory: Path, local_prefix: str | None = None) -> int:
    """Exit 0 when every example passes, 1 when one fails; a bad folder or rule file is a RuleFileError (exit 2)."""
    from .ruletest import report
    text, passed = report(directory, local_prefix)
    sys.stdout.write(text)
    return EXIT_CLEAN if passed else EXIT_FINDINGS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
