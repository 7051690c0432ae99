"""Definition edits, settings and the audit log from the command line: ``indicator``,
``settings`` and ``history``.

The same store functions as the editor's 编辑指标 dialog (``desktop.store.definitions``) and
its 修改记录 panel (``Workspace.audit``), so a script and a person do the same thing.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .runner import OK, say
from .text_table import render_table

# option → update_indicator field (every field the dialog edits)
FIELD_OPTIONS = {
    "name": "name", "unit": "unit", "seq": "seq", "target": "target_text", "base": "base_text",
    "attribute": "attribute", "kind": "kind", "direction": "direction", "parent": "parent", "rule": "rule",
    "numerator": "numerator", "denominator": "denominator", "responsible": "responsible", "note": "note",
}


def add_definition_commands(sub: Any, year: Any) -> None:
    import re

    from desktop.domain.model import KIND_LABELS, RULE_LABELS

    c = sub.add_parser("indicator", help="修改一个指标的定义（名称、单位、目标值、汇总规则、比率的分子分母等）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--indicator", required=True, metavar="CODE_OR_NAME", help="指标代码、名称或名称中唯一的一部分")
    c.add_argument("--name", metavar="TEXT", help="指标名称")
    c.add_argument("--unit", metavar="TEXT", help="单位")
    c.add_argument("--seq", metavar="TEXT", help="序号")
    c.add_argument("--target", metavar="TEXT", help="目标值（按规划文本的写法，如 [>23.5]、5.5以内）")
    c.add_argument("--base", metavar="TEXT", help="基期值（没有时填 -）")
    c.add_argument("--attribute", metavar="TEXT", help="属性：预期性、约束性")
    c.add_argument("--kind", metavar="TEXT", help=f"计算方式：{'、'.join(KIND_LABELS.values())}")
    c.add_argument("--direction", metavar="TEXT", help="方向：正向、逆向")
    c.add_argument("--parent", metavar="CODE", help="其中项所属的上级指标代码；空字符串表示独立指标")
    c.add_argument("--rule", metavar="TEXT", help=f"汇总规则：{'、'.join(re.split(r'[(（]', v)[0] for v in RULE_LABELS.values())}")
    c.add_argument("--numerator", metavar="CODE", help="比率的分子指标代码（汇总值 = Σ分子 ÷ Σ分母）；空字符串表示清除")
    c.add_argument("--denominator", metavar="CODE", help="比率的分母指标代码；空字符串表示清除")
    c.add_argument("--responsible", metavar="TEXT", help="责任单位")
    c.add_argument("--note", metavar="TEXT", help="备注")

    c = sub.add_parser("settings", help="查看或修改评估设置：基本符合的幅度（序时进度 ± 百分点）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--band", metavar="POINTS", help="基本符合的幅度，百分点（默认 5，范围 0.5—20）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("history", help="列出修改记录（谁、何时、改了什么）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--indicator", metavar="CODE_OR_NAME", help="只列出这个指标的记录")
    c.add_argument("--year", type=year, metavar="Y", help="只列出这一年的记录")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")


def cmd_indicator(args: argparse.Namespace) -> int:
    from desktop.domain.errors import ValueRefused
    from desktop.domain.lookup import resolve_indicator
    from desktop.store.definitions import update_indicator
    from desktop.store.workspace import Workspace

    fields = {field: getattr(args, option) for option, field in FIELD_OPTIONS.items()
              if getattr(args, option) is not None}
    if not fields:
        raise ValueRefused("请至少给出一项要修改的定义，如 --target、--rule；可用的选项见 planledger indicator --help")
    with Workspace.open(Path(args.workspace)) as ws:
        ind = resolve_indicator(ws.plan(), args.indicator)
        change = update_indicator(ws, ind.code, **fields)
    say(f"已保存：{change.label}" if change.definitions else f"未改变：“{ind.name}”的定义已是这样")
    return OK


def cmd_settings(args: argparse.Namespace) -> int:
    from desktop.store.actions import set_band
    from desktop.store.workspace import Workspace

    with Workspace.open(Path(args.workspace), read_only=args.band is None) as ws:
        if args.band is not None:
            points = set_band(ws, args.band)
            say(f"已保存：基本符合的幅度为序时进度 ±{format(points.normalize(), 'f')} 个百分点")
        band = ws.progress_settings().band * 100
    shown = format(band.normalize(), "f")
    if args.json:
        print(json.dumps({"band_points": float(band)}, ensure_ascii=False))
    elif args.band is None:
        print(f"基本符合的幅度：序时进度 ±{shown} 个百分点（快于序时：完成进度高于序时进度 {shown} 个百分点以上；"
              f"滞后：低于 {shown} 个百分点以上）")
    return OK


def cmd_history(args: argparse.Namespace) -> int:
    from desktop.domain.lookup import resolve_indicator
    from desktop.store.repository import AUDIT_ACTIONS, AUDIT_FIELDS
    from desktop.store.workspace import Workspace

    with Workspace.open(Path(args.workspace), read_only=True) as ws:
        plan = ws.plan()
        code = resolve_indicator(plan, args.indicator).code if args.indicator else None
        entries = ws.audit(code, year=args.year)
    names = {i.code: i.name for i in plan.indicators}
    if args.json:
        print(json.dumps([{"at": e.at, "who": e.who, "action": e.action, "code": e.code, "year": e.year,
                           "field": e.field, "old": e.old_value, "new": e.new_value, "detail": e.detail}
                          for e in entries], ensure_ascii=False, indent=2))
        return OK
    if not entries:
        say("没有修改记录。")
        return OK
    rows = [[e.at.replace("T", " ")[:19], e.who, AUDIT_ACTIONS.get(e.action, e.action),
             names.get(e.code or "", e.code or ""), str(e.year or ""), AUDIT_FIELDS.get(e.field or "", e.field or ""),
             e.old_value or "",
             e.new_value or "", e.detail] for e in entries]
    print(render_table(["时间", "人员", "操作", "指标", "年份", "内容", "原值", "新值", "说明"], rows))
    return OK
