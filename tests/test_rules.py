"""Every rule file's own examples, run by the same runner as `gpalint test-rules` (gpalint/ruletest.py), and the
validation of rule files and of their examples."""
from __future__ import annotations

import pytest

from gpalint.engine import Engine, Options
from gpalint.rules import FAMILIES, RULES_DIR, builtin_rules, parse_rule
from gpalint.ruletest import check_example
from gpalint.tomlfile import RuleFileError

RULES = builtin_rules()
ENGINE = Engine(RULES)
CASES = [(code, i, ex) for code, r in RULES.items() for i, ex in enumerate(r.examples)]


def test_every_rule_has_examples_and_docs():
    for code, rule in RULES.items():
        assert rule.examples, f"{code} has no examples"
        assert any("good" in e for e in rule.examples), code
        if rule.kind != "reader-notes":  # its bad case is a real PDF: see test_unreadable_pdf_glyphs_are_reported
            assert any("bad" in e for e in rule.examples), code
        assert rule.why.strip() and rule.source.strip(), f"{code} has no docs"
        assert rule.family in FAMILIES
        if rule.fix:
            assert any("fixed" in e for e in rule.examples), f"{code} is fixable but has no fixed example"


@pytest.mark.parametrize("code,i,example", CASES, ids=[f"{c}-{i + 1}" for c, i, _ in CASES])
def test_example(code, i, example):
    assert check_example(ENGINE, RULES[code], example) == []


def test_malformed_rule_file_names_file_and_key(tmp_path):
    bad = tmp_path / "T999.toml"
    bad.write_text('code = "T999"\nname = "x"\nseverity = "fatal"\nsummary = "s"\nmessage = "m"\n[check]\nkind = "table"\n',
                   encoding="utf-8")
    with pytest.raises(RuleFileError) as exc:
        parse_rule(bad)
    assert "T999.toml" in str(exc.value) and "severity" in str(exc.value)


def test_unknown_kind_and_bad_params_are_reported(tmp_path):
    f = tmp_path / "T998.toml"
    f.write_text('code = "T998"\nname = "x"\nseverity = "error"\nsummary = "s"\nmessage = "m"\n[check]\nkind = "nope"\n',
                 encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"check\.kind"):
        Engine({"T998": parse_rule(f)})
    f.write_text('code = "T998"\nname = "x"\nseverity = "error"\nsummary = "s"\nmessage = "m"\n[check]\nkind = "pattern"\n'
                 'pattern = "(["\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"check\.pattern"):
        Engine({"T998": parse_rule(f)})


def test_rule_file_name_matches_code():
    for path in RULES_DIR.glob("*.toml"):
        assert parse_rule(path).code == path.stem


def test_unreadable_pdf_glyphs_are_reported():
    from pathlib import Path

    from gpalint.document import Block
    from gpalint.readers import read
    doc = read(Path(__file__).parent / "fixtures" / "layout.pdf")  # a layout test page with unmapped glyphs
    doc.blocks.insert(0, Block("一、总体情况", 1, page=1))  # make it look like a report
    _, diags = ENGINE.check_document(doc, Options(select=["M106"]))
    assert diags and all(d.code == "M106" and d.location.page for d in diags)
    assert any("无法识别的字形" in d.message for d in diags)
