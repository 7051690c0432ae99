"""Workbooks in the shapes real bureaus type their plan tables, built from the seed tables.

Every builder takes a seed table (``shared/seeds/tables``) and writes an .xlsx the way a
bureau's staff would: a title row above (label + title), sometimes a "单位" line, merged
一级指标 column, blank spacer rows, extra columns (备注, 填报说明), numbers stored as text
or as numbers, full-width characters, units inside names ("（亿元）"), the 注 line below.
Cells the extraction lost (``??``) get the sample values of the seeds README (the same the
bundled templates use).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "tables"

SAMPLE_VALUES = {  # seeds README: (seed, printed seq, column index) -> value
    ("shaoyang_zl2_14th_main_indicators", "2", 2): "<5.5",
    ("shaoyang_zl2_14th_main_indicators", "3", 2): "<4.5",
    ("shaoyang_zl2_14th_main_indicators", "4", 2): "[>10]",
    ("shaoyang_zl2_14th_main_indicators", "13", 1): "95",
    ("shaoyang_zl2_14th_main_indicators", "13", 2): "99",
    ("shaoyang_zl2_14th_main_indicators", "14", 1): "96.7",
    ("shaoyang_zl2_14th_main_indicators", "14", 2): "98",
    ("shaoyang_zl1_13th_completion", "11", 2): "—",
    ("shaoyang_zl1_13th_completion", "11", 3): "—",
    ("shaoyang_zl1_13th_completion", "12", 2): "—",
    ("shaoyang_zl1_13th_completion", "12", 3): "—",
    ("shaoyang_zl1_13th_completion", "13", 2): "—",
}
# 专栏1 of 邵阳: the template keeps these 完成数 (the seed's order-based reading is uncertain)
ZL1_ACHIEVED = {"4": "55.6", "5": "100"}

_FULL = str.maketrans({"(": "（", ")": "）", ":": "：", "[": "［", "]": "］", ">": "＞", "<": "＜", "%": "％", ",": "，"})


def full_width(text: str) -> str:
    return text.translate(_FULL)


def load_seed(name: str) -> dict:
    return json.loads((SEEDS / f"{name}.json").read_text(encoding="utf-8"))


def _seq_of(cells: list) -> str:
    first = str(cells[0] or "") if cells else ""
    m = re.match(r"^(\d+)\.", first)
    return m.group(1) if m else ""


def seed_rows(name: str) -> tuple[dict, list[dict]]:
    """The seed's table with the lost cells filled in; rows as dicts (kind, cells, seq)."""
    table = load_seed(name)["table"]
    rows = []
    for r in table["rows"]:
        if r.get("kind") == "section":
            rows.append({"kind": "section", "text": r["text"]})
            continue
        cells = list(r["cells"])
        seq = _seq_of(cells) or str(cells[1] if len(cells) > 1 and name.startswith("zhejiang") else "")
        for i, c in enumerate(cells):
            if c == "??" or (c or "").startswith("??"):
                cells[i] = SAMPLE_VALUES[(name, seq, i)]
        rows.append({"kind": "data", "cells": cells, "seq": seq, "sub": r.get("sub_item", False), "merge": r.get("merge")})
    return table, rows


def _as_number(text: str):  # type: ignore[no-untyped-def]
    """A plain decimal as a number cell (the way Excel stores a typed number), else the text."""
    if re.fullmatch(r"\d+", text or ""):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text or ""):
        return float(text)
    return text


def write_shaoyang_zl2(path: Path, *, fullwidth: bool = True, numbers_as_text: bool = False) -> Path:
    """邵阳 专栏2 typed into a workbook: title row, blank spacer rows, an extra 备注 column and a
    填报说明 column, section rows, numbered names with the unit inside ("（万人）"), 其中 rows,
    the 注 line below. Numbers as number cells (a 0.0 format for 81.0) or as text."""
    table, rows = seed_rows("shaoyang_zl2_14th_main_indicators")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "专栏2"
    ws.append([full_width(table["title"]) if fullwidth else table["title"]])
    ws.append([])
    ws.append(["指标", "2020年", "2025年", "属性", "备注", "填报说明"])
    ws.append([])  # a blank spacer row under the header
    r = 4
    for row in rows:
        if row["kind"] == "section":
            if r > 5:
                ws.append([])  # spacer between sections
                r += 1
            ws.append([row["text"]])
            r += 1
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
            continue
        name, base, target, attribute = row["cells"]
        if fullwidth:
            name, target = full_width(name), full_width(target)
        values = [name, base, target, attribute, "", "按统计快报" if row["seq"] == "1" else None]
        if not numbers_as_text:
            values[1] = _as_number(base)
            values[2] = _as_number(target)
        ws.append(values)
        r += 1
        if not numbers_as_text and base == "81.0":
            ws.cell(r, 2).number_format = "0.0"
    ws.append([full_width(table["footnotes"][0]) if fullwidth else table["footnotes"][0]])
    wb.save(path)
    return path


def write_zhejiang_t2(path: Path, *, unit_in_name: bool = False) -> Path:
    """浙江 表2: title row, merged 一级指标 column, numbers stored as text in some cells,
    an extra 责任单位-like 备注 column, the 注 line; ``unit_in_name`` drops the 单位 column
    and writes "人才资源总量（万人）" instead."""
    table, rows = seed_rows("zhejiang_t2_14th_talent_indicators")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表2"
    ws.append([full_width(table["title"])])
    ws.append(["单位：万人、%"]) if False else ws.append([])
    header = ["一级指标", "序号", "二级指标", "单位", "2020年预计", "2025年目标", "备注"]
    if unit_in_name:
        header = ["一级指标", "序号", "二级指标", "2020年预计", "2025年目标", "备注"]
    ws.append(header)
    first_data = 4
    r = first_data - 1
    starts = []
    for n, row in enumerate(rows):
        cat, seq, name, unit, base, target = row["cells"]
        r += 1
        if row.get("merge"):
            starts.append((r, row["merge"]["rowspan"]))
        base_cell = base if n % 2 else _as_number(base)  # every other row: numbers stored as text
        target_cell = target if n % 3 == 0 else _as_number(target)
        seq_cell = int(seq)
        if unit_in_name:
            ws.append([cat, seq_cell, f"{name}（{unit}）", base_cell, target_cell, None])
        else:
            ws.append([cat, seq_cell, name, unit, base_cell, target_cell, None])
    for start, span in starts:
        ws.merge_cells(start_row=start, start_column=1, end_row=start + span - 1, end_column=1)
    ws.append([full_width(table["footnotes"][0])])
    wb.save(path)
    return path


def write_shaoyang_zl1(path: Path) -> Path:
    """邵阳 专栏1 (十三五 完成情况): 指标 · 单位 · 规划数 · 完成数, a blank spacer row, the 备注 below."""
    table, rows = seed_rows("shaoyang_zl1_13th_completion")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([full_width(table["title"])])
    ws.append(table["columns"])
    for n, row in enumerate(rows):
        name, unit, planned, achieved = row["cells"]
        achieved = ZL1_ACHIEVED.get(row["seq"], achieved)
        ws.append([full_width(name), unit, _as_number(planned), _as_number(achieved)])
        if n == 6:
            ws.append([])
    ws.append([full_width(table["footnotes"][0])])
    wb.save(path)
    return path


JILIN_ITEMS = (  # 专栏3 item number, indicator name, unit, the quantity's pattern in the item text, kind word
    (1, "职业技能培训人次", "万人次", r"培训(105万人次)", "累计"),
    (2, "技工院校招生人数", "万人", r"招生(8万人)", "累计"),
    (2, "示范性技工院校数量", "所", r"(10所)示范性", ""),
    (2, "技工院校品牌专业数量", "个", r"(30个)品牌", ""),
    (3, "新建技能大师工作室或首席技师工作室数量", "个", r"新建(50个)", "累计"),
)


def write_jilin_zl3(path: Path) -> Path:
    """吉林 专栏3's quantified items as a bureau tracks them: 序号 · 指标名称 · 计量单位 · 目标值
    · 年均/累计 · 对应任务, the targets cut from the seed's item texts."""
    seed = load_seed("jilin_hr_dev_zl1-5_and_goals")
    box = next(b for b in seed["boxes"] if b["label"] == "专栏3")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "专栏3指标"
    ws.append([f"{box['label']}　{box['title']}（量化指标）"])
    ws.append(["序号", "指标名称", "计量单位", "目标值", "年均/累计", "对应任务"])
    for n, (item, name, unit, pattern, mode) in enumerate(JILIN_ITEMS, start=1):
        text = box["items"][item - 1]
        target = re.search(pattern, text).group(1)  # type: ignore[union-attr]
        ws.append([n, name, unit, target, mode or None, f"第{item}项"])
    wb.save(path)
    return path


def write_zhejiang_t1(path: Path, *, upper: str = "merged", two_targets: bool = False) -> Path:
    """浙江 表1 (“十三五”人才发展主要指标完成情况): a two-row header — 指标名称 and 2015年 over
    both rows, 规划目标 over 2020年, 完成情况 over 2019年 · 2020年预计 · 完成度 — as the seed's
    ``header_rows`` say. ``upper``: "merged" (merged cells, as a bureau's xlsx has them),
    "repeated" (no merges: the upper text repeated over each column and down the rowspan
    columns) or "blank" (no merges, covered cells left blank). ``two_targets`` widens 规划目标
    over a second target-like column (a bad input). The title row above, the 注 line below;
    numbers as number cells, "29以上" and "—" as text."""
    table, rows = seed_rows("zhejiang_t1_13th_talent_completion")
    upper_row, lower_row = table["header_rows"]
    if two_targets:
        upper_row = [dict(h, colspan=2) if h["text"] == "规划目标" else h for h in upper_row]
        lower_row = [lower_row[0], {"text": "2020年目标"}] + lower_row[1:]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append([table["title"]])
    top, bottom, spans = [], [], []
    lower_iter = iter(lower_row)
    col = 0
    for h in upper_row:
        col += 1
        rowspan, colspan = h.get("rowspan", 1), h.get("colspan", 1)
        if rowspan == 2:
            top.append(h["text"])
            bottom.append(h["text"] if upper == "repeated" else None)
            spans.append((2, col, 3, col))
            continue
        for k in range(colspan):
            top.append(h["text"] if k == 0 or upper == "repeated" else None)
            bottom.append(next(lower_iter)["text"])
        if colspan > 1:
            spans.append((2, col, 2, col + colspan - 1))
        col += colspan - 1
    ws.append(top)
    ws.append(bottom)
    if upper == "merged":
        for r1, c1, r2, c2 in spans:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for row in rows:
        cells = [_as_number(c) for c in row["cells"]]
        if two_targets:
            cells = cells[:3] + [cells[2]] + cells[3:]
        ws.append(cells)
    ws.append(table["footnotes"])
    wb.save(path)
    return path
