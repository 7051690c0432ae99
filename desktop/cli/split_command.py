"""Target decomposition (docs/intake.md §4): split-set, split-check, split-import, split-export."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .runner import OK, PROBLEMS, say
from .text_table import render_table


def add_split_command(sub: Any, year: Any) -> None:  # noqa: ARG001 - same signature as the others
    c = sub.add_parser("split-set", help="给下级地区分解某项指标的目标值（空目标表示取消）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--indicator", required=True, metavar="CODE_OR_NAME", help="指标代码、名称或名称中唯一的一部分")
    c.add_argument("--region", required=True, metavar="CODE", help="下级地区 6 位行政区划代码")
    c.add_argument("--region-name", metavar="NAME", help="下级地区名称（第一次分解给该地区时必需）")
    c.add_argument("--target", required=True, metavar="TEXT", help="分解目标，写法同规划目标值，如 [>2.1]、34、5.5以内；空字符串表示取消")

    c = sub.add_parser("split-check", help="列出目标分解情况，核对可相加指标的分解合计与本级目标（不一致时退出码为 1）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("split-import", help="从目标分解表（Excel，每行一个地区、每列一项指标，或反过来）导入各地区的分解目标")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--xlsx", required=True, metavar="FILE", help="目标分解表（.xlsx）")
    c.add_argument("--sheet", metavar="NAME", help="工作表名称（默认：第一个含分解表的可见工作表）")
    c.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("split-export", help="生成下级地区的工作簿，预填分解给该地区的目标，供下发")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--region", required=True, metavar="CODE", help="下级地区 6 位行政区划代码")
    c.add_argument("--region-name", metavar="NAME", help="地区名称（默认：分解目标时填写的名称）")
    c.add_argument("--out", required=True, metavar="FILE", help="输出的工作簿文件（.sqlite，不覆盖已有文件）")


def cmd_split_set(args: argparse.Namespace) -> int:
    from desktop.domain.lookup import resolve_indicator
    from desktop.intake.split import check_split, set_split_target, split_targets
    from desktop.store.workspace import Workspace

    with Workspace.open(Path(args.workspace)) as ws:
        ind = resolve_indicator(ws.plan(), args.indicator)
        set_split_target(ws, ind.code, args.region, args.region_name or "", args.target)
        say(f"已{'设置' if args.target.strip() else '取消'} {args.region_name or args.region} 的“{ind.name}”分解目标"
            + (f"：{args.target.strip()}" if args.target.strip() else ""))
        for p in check_split(ws.plan(), split_targets(ws)):
            if p.code == ind.code:
                say(f"{p.severity.value}：{p.message}")
    return OK


def cmd_split_check(args: argparse.Namespace) -> int:
    from desktop.domain.notation import format_decimal
    from desktop.intake.split import split_rows, split_targets
    from desktop.store.workspace import Workspace

    with Workspace.open(Path(args.workspace), read_only=True) as ws:
        rows = split_rows(ws.plan(), split_targets(ws))
    problems = [p for r in rows for p in r.problems]
    if args.json:
        print(json.dumps([{"indicator": r.code, "name": r.name, "unit": r.unit, "target": r.target.text,
                           "regions": [{"region": c, "name": n, "target": t} for c, n, t in r.regions],
                           "total": None if r.total is None else format_decimal(r.total),
                           "problems": [p.as_dict() for p in r.problems]} for r in rows], ensure_ascii=False, indent=2))
    else:
        table = [[r.name, r.unit, r.target.text, "、".join(f"{n} {t}" for _, n, t in r.regions),
                  "" if r.total is None else format_decimal(r.total)] for r in rows]
        print(render_table(["指标", "单位", "本级目标", "分解目标", "分解合计"], table) if table else "尚未分解任何指标的目标。")
    for p in problems:
        say(f"{p.severity.value}：{p.message}")
    return PROBLEMS if problems else OK


def cmd_split_export(args: argparse.Namespace) -> int:
    from desktop.intake.split import split_export
    from desktop.store.workspace import Workspace

    with Workspace.open(Path(args.workspace), read_only=True) as ws:
        path, notes = split_export(ws, args.region, Path(args.out), region_name=args.region_name)
    print(path)
    for n in notes:
        say(f"提示：{n}")
    say(f"已生成下级工作簿“{path}”，可发给该地区使用。")
    return OK


def cmd_split_import(args: argparse.Namespace) -> int:
    from desktop.intake.problems import IntakeRefused
    from desktop.intake.split import check_split, set_split_targets, split_targets
    from desktop.intake.split_table import read_split_table
    from desktop.store.workspace import Workspace

    from .runner import BAD_FILE, REFUSED

    with Workspace.open(Path(args.workspace), read_only=args.dry_run) as ws:
        try:
            table = read_split_table(Path(args.xlsx), ws, sheet=args.sheet)
        except IntakeRefused as exc:
            say(f"错误：{exc.message}")
            return BAD_FILE
        written = 0
        if table.ok and not args.dry_run:
            written = set_split_targets(ws, table.rows, source=Path(args.xlsx).name)
        splits = split_targets(ws)
        if args.dry_run and table.ok:  # what the check would say after the import
            splits = {k: dict(v) for k, v in splits.items()}
            for code, region, name, text in table.rows:
                splits.setdefault(code, {})[region] = {"name": name, "target": text}
        checked = check_split(ws.plan(), splits) if table.ok else []
    if args.json:
        print(json.dumps({"file": str(args.xlsx), "sheet": table.sheet, "transposed": table.transposed,
                          "ok": table.ok, "dry_run": args.dry_run, "written": written,
                          "assignments": [{"indicator": c, "region": r, "name": n, "target": t} for c, r, n, t in table.rows],
                          "problems": [p.as_dict() for p in table.problems],
                          "check": [p.as_dict() for p in checked]}, ensure_ascii=False, indent=2))
    for p in table.problems:
        say(f"{p.severity.value}：{p.message}")
    if not table.ok:
        say(f"有 {len(table.errors)} 处错误，未导入任何分解目标；请修改后重新导入。")
        return REFUSED
    regions = len(table.regions)
    indicators = len({c for c, _, _, _ in table.rows})
    if args.dry_run:
        say(f"试导入：可导入 {len(table.rows)} 项分解目标（{regions} 个地区 × {indicators} 项指标），未写入。")
    else:
        say(f"已导入 {written} 项分解目标（{regions} 个地区 × {indicators} 项指标）。")
    for p in checked:
        say(f"{p.severity.value}：{p.message}")
    if checked:
        say("分解目标与本级目标不一致（见上），请核对。")
        return PROBLEMS
    return OK
