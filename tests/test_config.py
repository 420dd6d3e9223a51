"""Configuration discovery, validation and ruff-style rule selection."""
from __future__ import annotations

from pathlib import Path

import pytest

from gpalint import config
from gpalint.config import Settings, find_config, load_settings, selected, settings_for, severity_for
from gpalint.model import Severity
from gpalint.tomlfile import RuleFileError


@pytest.fixture(autouse=True)
def _fresh_caches():
    config.clear_caches()
    yield
    config.clear_caches()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ── discovery ──────────────────────────────────────────────────────────────────

def test_found_upward_from_the_file(tmp_path):
    cfg = _write(tmp_path / "gpalint.toml", 'ignore = ["G"]\n')
    report = _write(tmp_path / "2024" / "乡镇" / "a.txt", "")
    assert find_config(report) == cfg.resolve()
    assert find_config(report.parent) == cfg.resolve()
    settings = settings_for(report)
    assert settings.ignore == ["G"] and settings.config_path == cfg.resolve()


def test_nearest_wins_and_pyproject_without_section_is_skipped(tmp_path):
    outer = _write(tmp_path / "pyproject.toml", '[tool.gpalint]\nyear = 2023\n')
    _write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.gpalint]: not a config
    inner = _write(tmp_path / "sub" / "deeper" / "gpalint.toml", "year = 2024\n")
    assert find_config(tmp_path / "sub" / "x.txt") == outer.resolve()
    assert settings_for(tmp_path / "sub" / "x.txt").year == 2023
    assert find_config(tmp_path / "sub" / "deeper" / "x.txt") == inner.resolve()
    assert settings_for(tmp_path / "sub" / "deeper" / "x.txt").year == 2024


def test_gpalint_toml_wins_over_pyproject_in_the_same_folder(tmp_path):
    _write(tmp_path / "pyproject.toml", '[tool.gpalint]\nyear = 2023\n')
    cfg = _write(tmp_path / "gpalint.toml", "year = 2024\n")
    assert find_config(tmp_path) == cfg.resolve()


def test_pyproject_section(tmp_path):
    cfg = _write(tmp_path / "pyproject.toml", '[tool.gpalint]\nselect = ["T", "S101"]\ntemplate = "2021"\n'
                                              '[tool.gpalint.severity]\nG101 = "info"\n')
    s = load_settings(cfg)
    assert s.select == ["T", "S101"] and s.template == "2021" and s.severity == {"G101": Severity.INFO}


def test_no_config_gives_defaults(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CONFIG_NAMES", ("gpalint-test-none.toml",))
    assert find_config(tmp_path) is None
    s = settings_for(tmp_path / "a.txt")
    assert s == Settings() and s.select == ["ALL"] and s.template == "auto"


def test_settings_are_cached_per_folder(tmp_path):
    cfg = _write(tmp_path / "gpalint.toml", "year = 2024\n")
    first = settings_for(tmp_path / "a.txt")
    cfg.write_text("year = 2020\n", encoding="utf-8")
    assert settings_for(tmp_path / "b.txt") is first
    config.clear_caches()
    assert settings_for(tmp_path / "b.txt").year == 2020


def test_all_keys(tmp_path):
    (tmp_path / "my-rules").mkdir()
    cfg = _write(tmp_path / "gpalint.toml", """
select = ["ALL"]
extend-select = ["G101"]
ignore = ["M"]
exclude = ["README.md"]
template = "auto"
year = 2024
extra-rules = ["my-rules"]
[per-file-ignores]
"2019/*" = ["T", "C1"]
"*.pdf" = ["G"]
[severity]
T = "warning"
T103 = "error"
""")
    s = load_settings(cfg)
    assert s.extend_select == ["G101"] and s.ignore == ["M"] and s.exclude == ["README.md"] and s.year == 2024
    assert s.per_file_ignores == [("2019/*", ["T", "C1"]), ("*.pdf", ["G"])]
    assert s.extra_rules == [(tmp_path / "my-rules").resolve()]
    assert severity_for("T103", s) is Severity.ERROR and severity_for("T101", s) is Severity.WARNING
    assert severity_for("G101", s) is None
    assert config.excluded(tmp_path / "sub" / "README.md", s) and not config.excluded(tmp_path / "a.md", s)


# ── errors name the file, the key and what is allowed ──────────────────────────

@pytest.mark.parametrize("text, key, says", [
    ('selcet = ["T"]\n', "selcet", "select、ignore、extend-select"),
    ('ignore = "T"\n', "ignore", "字符串列表"),
    ('ignore = ["X1"]\n', "ignore", "S T D F C G M"),
    ('ignore = ["t101"]\n', "ignore", "S T D F C G M"),
    ('template = "1999"\n', "template", "只能是 auto、"),
    ("year = 24.5\n", "year", "整数年份"),
    ("year = true\n", "year", "整数年份"),
    ('[severity]\nT103 = "fatal"\n', "severity.T103", "error、warning 或 info"),
    ('[severity]\nTT = "error"\n', "severity.TT", "规则代码或前缀"),
    ('extra-rules = ["missing"]\n', "extra-rules", "不是一个目录"),
    ('[per-file-ignores]\n"a/*" = ["Q"]\n', 'per-file-ignores."a/*"', "规则代码或前缀"),
    ("per-file-ignores = 1\n", "per-file-ignores", "文件通配符"),
])
def test_bad_values(tmp_path, text, key, says):
    cfg = _write(tmp_path / "gpalint.toml", text)
    with pytest.raises(RuleFileError) as info:
        load_settings(cfg)
    assert info.value.path == str(cfg.resolve())
    assert info.value.key == key
    assert says in info.value.problem
    assert str(cfg.resolve()) in str(info.value) and key in str(info.value)


def test_unknown_key_in_pyproject_names_the_full_key(tmp_path):
    cfg = _write(tmp_path / "pyproject.toml", "[tool.gpalint]\nyears = 2024\n")
    with pytest.raises(RuleFileError) as info:
        load_settings(cfg)
    assert info.value.key == "tool.gpalint.years"
    assert "per-file-ignores" in info.value.problem and "extra-rules" in info.value.problem


def test_toml_syntax_error(tmp_path):
    cfg = _write(tmp_path / "gpalint.toml", "select = [\n")
    with pytest.raises(RuleFileError) as info:
        load_settings(cfg)
    assert info.value.key == "TOML"


# ── selection (ruff semantics) ─────────────────────────────────────────────────

_DEFAULT = Settings()


def _sel(code, settings=_DEFAULT, select=None, ignore=(), extend=(), path="a.txt"):
    return selected(code, Path(path), settings, None if select is None else list(select), list(ignore), list(extend))


def test_default_selects_everything():
    assert all(_sel(c) for c in ("S101", "T103", "D101", "F101", "C101", "G101", "M101"))


def test_prefixes_and_specificity():
    s = Settings(select=["T"], ignore=["T1"])
    assert not _sel("T103", s) and _sel("T201", s) and not _sel("G101", s)
    s = Settings(select=["T103"], ignore=["T"])  # the more specific select wins
    assert _sel("T103", s) and not _sel("T104", s)
    s = Settings(select=["T1"], ignore=["T1"])  # equal specificity: ignore wins
    assert not _sel("T103", s)
    s = Settings(ignore=["T103"], extend_select=["T103"])
    assert not _sel("T103", s)


def test_extend_select_adds_to_select():
    s = Settings(select=["S"], extend_select=["G101"])
    assert _sel("S101", s) and _sel("G101", s) and not _sel("G102", s)


def test_cli_select_replaces_config():
    s = Settings(select=["S"], ignore=["G101"])
    assert _sel("G101", s, select=["G"])  # a new select starts over, as in ruff
    assert not _sel("S101", s, select=["G"])
    assert not _sel("G102", s, select=["G"], ignore=["G102"])
    assert _sel("T101", s, select=["G"], extend=["T1"])


def test_cli_ignore_and_extend_select_without_select_adjust_config():
    s = Settings(select=["S", "T"], ignore=["T103"])
    assert not _sel("S101", s, ignore=["S"])
    assert _sel("S102", s) and _sel("T101", s)
    assert _sel("G101", s, extend=["G"])
    assert not _sel("T104", s, extend=["T"], ignore=["T104"])
    # the command line is a later layer: whatever it matches, it decides, however specific the config was
    assert _sel("T103", s, extend=["T"])


def test_per_file_ignores(tmp_path):
    cfg = _write(tmp_path / "gpalint.toml", '[per-file-ignores]\n"2019/*" = ["T"]\n"*.pdf" = ["G1"]\n'
                                            '"./old/**/x.md" = ["S101"]\n')
    s = load_settings(cfg)
    assert not _sel("T103", s, path=tmp_path / "2019" / "a.txt")
    assert not _sel("T103", s, path=tmp_path / "2019" / "sub" / "a.txt")  # fnmatch "*" crosses "/"
    assert _sel("T103", s, path=tmp_path / "2020" / "a.txt")
    assert not _sel("G101", s, path=tmp_path / "deep" / "er" / "a.pdf")  # no "/": the file name anywhere
    assert _sel("G101", s, path=tmp_path / "a.docx")
    assert not _sel("S101", s, path=tmp_path / "old" / "y" / "x.md")
    # per-file-ignores win even over an explicit --select of the code
    assert not _sel("T103", s, select=["T103"], path=tmp_path / "2019" / "a.txt")
