"""Cut a table's region into tokens: labels, numbers (digit groups), value-like junk and the blanks of real
table cells; and read a value token as the number the template's column expects."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...cjk import HAN_RE
from ...document import Block

_SPLIT = re.compile(r"\t|\||｜|\u3000|\s{2,}")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_AMOUNT = re.compile(r"^(?P<n>[+-]?\d+(?:\.\d+)?)\s*(?P<unit>万元|元)$")
_COUNT = re.compile(r"^(?P<n>\d+)\s*(?:件|个|条|项|次)$")  # 「2件」 in a cell: a count with its unit
_THOUSANDS = re.compile(r"^\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?$")  # 14,069
_GROUPS = re.compile(r"^\d+(?:\s+\d+)+$")
_JUNK = re.compile(r"^(?:[-—–－/／\\~～*＊×xX]+|[-—–－]+\d+(?:\.\d+)?|无|空|/|[\dOoIl]*[OoIl][\dOoIl]*"
                   r"|[零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]{1,4})$")  # value-like but not a number: 「—」「无」「三」「1O」
_RUN = re.compile(r"\d+(?:\.\d+)?(?:[ \u00a0]+\d+(?:\.\d+)?)*")
_PROSE_UNIT = re.compile(r"^\s*(?:年|月|日|件|条|个|次|项|号|人|份|期|家|万|%|％|余|多)")
PROSE = re.compile(r"[。，,；;]")  # sentence punctuation: a text holding it is prose, not a label


@dataclass(slots=True)
class Token:
    kind: str  # "label", "num" (digit groups), "junk" (a value-like token that is not a number), "blank"
    text: str
    block: int
    start: int
    end: int
    spans: tuple[tuple[int, int], ...] = ()  # for "num": the digit groups' offsets within the block text
    cell: bool = False  # from a real table cell: its digits are one value, never to be split
    row: tuple[int, int] | None = None  # (table, row) of that cell


Slot = tuple[Token, int, int]  # one value's place: its token and its offsets in the block text


def tokenize(blocks: list[Block], indices: range) -> list[Token]:
    tokens: list[Token] = []
    numeric = {b.cell.table for i in indices if (b := blocks[i]).cell is not None
               and b.text.strip() and _NUMBER.match(b.text.strip())}
    for i in indices:
        b = blocks[i]
        if b.cell is not None:
            text = b.text.strip()
            if text:
                s = b.text.index(text)
                n = len(tokens)
                _piece(tokens, b.text, i, s, s + len(text))
                for t in tokens[n:]:
                    t.cell, t.row = True, (b.cell.table, b.cell.row)
            elif b.cell.table in numeric:
                # an empty cell in a table of numbers: a value left blank, at a known place
                tokens.append(Token("blank", "", i, 0, 0, cell=True, row=(b.cell.table, b.cell.row)))
            continue
        limit = b.text.find("<!--")  # an inline suppression comment is not table content
        limit = len(b.text) if limit < 0 else limit
        pos = 0
        for m in _SPLIT.finditer(b.text, 0, limit):
            _piece(tokens, b.text, i, pos, m.start())
            pos = m.end()
        _piece(tokens, b.text, i, pos, limit)
    return tokens


def _piece(out: list[Token], text: str, block: int, start: int, end: int) -> None:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return
    start += raw.index(stripped)
    end = start + len(stripped)
    if _NUMBER.match(stripped) or _AMOUNT.match(stripped) or _THOUSANDS.match(stripped) or _COUNT.match(stripped):
        out.append(Token("num", stripped, block, start, end, ((start, end),)))
        return
    if _GROUPS.match(stripped):
        spans = tuple((start + m.start(), start + m.end()) for m in re.finditer(r"\d+", stripped))
        out.append(Token("num", stripped, block, start, end, spans))
        return
    if _JUNK.match(stripped):
        out.append(Token("junk", stripped, block, start, end))
        return
    # a label, possibly with numbers glued to it (web pages flatten tables: 「规章007」, 「…信息40000042.没有…」)
    label_start = start
    for m in _RUN.finditer(stripped):
        a, b = start + m.start(), start + m.end()
        after = text[b:end]
        if re.match(r"[.．、](?!\d)", after):  # 「2.」 before a label: its last digit numbers the next row
            groups = list(re.finditer(r"\d+(?:\.\d+)?", m.group(0)))
            if len(groups) == 1 and len(groups[0].group(0)) == 1:
                continue
            cut = a + groups[-1].end() - 1  # sub-rows are numbered 1-8: one digit
            spans = tuple((a + g.start(), min(a + g.end(), cut)) for g in groups if a + g.start() < cut)
            _label(out, text, block, label_start, a)
            out.append(Token("num", text[a:cut].strip(), block, a, spans[-1][1], spans))
            label_start = cut
            continue
        if _PROSE_UNIT.match(after) or text[max(start, a - 1):a] in ("第", "（", "(") :
            continue  # 「2024年」「3件」「第711号」: a number inside a sentence or a label, not a cell
        _label(out, text, block, label_start, a)
        spans = tuple((a + g.start(), a + g.end()) for g in re.finditer(r"\d+(?:\.\d+)?", m.group(0)))
        out.append(Token("num", text[a:b], block, a, b, spans))
        label_start = b
    _label(out, text, block, label_start, end)


def _label(out: list[Token], text: str, block: int, start: int, end: int) -> None:
    raw = text[start:end]
    stripped = raw.strip(" \u3000\t")
    if stripped and HAN_RE.search(stripped):
        s = start + raw.index(stripped)
        out.append(Token("label", stripped, block, s, s + len(stripped)))


def value_slots(tokens: list[Token]) -> list[Slot]:
    """Each value slot: (token, start, end); a "num" token holds one slot per digit group."""
    out: list[Slot] = []
    for t in tokens:
        if t.kind == "num":
            out.extend((t, a, b) for a, b in t.spans)
        else:
            out.append((t, t.start, t.end))
    return out


def parse_value(raw: str, kind: str, unit: str | None) -> tuple[int | float | None, str | None]:
    text = raw.strip()
    if text.isascii() and text.isdigit():
        return int(text), None
    if _THOUSANDS.match(text):
        text = text.replace(",", "").replace("，", "")
    elif (m := _COUNT.match(text)) and kind != "amount":
        text = m.group("n")
    if kind == "amount":
        m = _AMOUNT.match(text)
        if m:
            if unit and m.group("unit") != unit:
                return None, f"单位应为{unit or '万元'}，写成了「{text}」"
            text = m.group("n")
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return (float(text) if "." in text else int(text)), None
        return None, f"「{text}」不是金额（应为{'以' + unit + '计的' if unit else ''}非负数）"
    if re.fullmatch(r"\d+", text) or (kind == "signed" and re.fullmatch(r"[+-]?\d+", text)):
        return int(text), None
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?", text):
        return None, f"「{text}」不是非负整数"
    return None, f"「{text}」不是数字（应为非负整数）"
