"""Getting data in from workbooks (docs/intake.md): import-table, import-actuals, collect,
collect-in, split-export."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .runner import OK, PROBLEMS, REFUSED, existing, say, say_kept
from .text_table import render_table

NATURES = ("快报", "年报", "预计")


def add_intake_commands(sub: Any, year: Any) -> None:
    c = sub.add_parser("import-table", help="从 Excel 工作簿导入规划指标表（专栏/表），先预览问题，无错误才写入")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--xlsx", required=True, metavar="PATH", help="含指标表的 .xlsx 文件")
    c.add_argument("--sheet", metavar="NAME", help="工作表名称（默认：第一个有可识别表头的可见工作表）")
    c.add_argument("--box", metavar="LABEL", help="专栏标签，如 专栏2、表2（默认：表格上方标题中的标签）")
    c.add_argument("--dry-run", action="store_true", help="只预览：列出将导入的指标和全部问题，不写入")
    c.add_argument("--json", action="store_true", help="以 JSON 输出预览与问题")

    c = sub.add_parser("import-actuals", help="导入“指标 × 年份”表中的实际值（按指标代码或名称对应，全部无误才写入）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    src = c.add_mutually_exclusive_group(required=True)
    src.add_argument("--xlsx", metavar="PATH", help=".xlsx 文件")
    src.add_argument("--csv", metavar="PATH", help="CSV 文件（UTF-8 或 GB18030 编码）")
    c.add_argument("--sheet", metavar="NAME", help="工作表名称（仅 --xlsx）")
    c.add_argument("--nature", choices=NATURES, help="数据性质（默认：新单元格为 年报，已有单元格保持原性质）")
    c.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("save-template", help="把工作簿的规划定义另存为模板文件（.json），供分享和新建")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--out", required=True, metavar="FILE", help="模板文件（.json）")
    c.add_argument("--id", metavar="ID", help="模板标识（默认：原模板标识）；由字母、数字和 - _ . 组成")
    c.add_argument("--title", metavar="TEXT", help="模板名称（默认：规划标题）")
    c.add_argument("--description", default="", metavar="TEXT", help="模板说明")
    c.add_argument("--with-values", action="store_true", help="同时保存各年实际值（默认只保存规划定义）")

    import importlib

    try:  # collect, collect-in, split-export
        collect = importlib.import_module("desktop.cli.collect_commands")
    except ModuleNotFoundError as exc:
        if exc.name != "desktop.cli.collect_commands":
            raise
    else:
        collect.add_collect_commands(sub, year)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _progress():  # type: ignore[no-untyped-def]
    """A progress line on stderr for big workbooks (only when stderr is a terminal)."""
    if not sys.stderr.isatty():
        return None

    def show(fraction: float, what: str) -> None:
        sys.stderr.write(f"\r读取中 {fraction:4.0%} {what}    ")
        sys.stderr.flush()
        if fraction >= 1:
            sys.stderr.write("\n")

    return show


def _say_problems(problems) -> None:  # type: ignore[no-untyped-def]
    for p in problems:
        say(f"{p.severity.value}：{p.message}")


def cmd_import_table(args: argparse.Namespace) -> int:
    from desktop.intake.apply import import_table, table_plan_changes
    from desktop.intake.table import read_table
    from desktop.store.workspace import Workspace

    table = read_table(Path(args.xlsx), sheet=args.sheet, box=args.box, progress=_progress())
    with Workspace.open(Path(args.workspace), read_only=args.dry_run) as ws:
        changes, notes = table_plan_changes(ws.plan(), table)
        if args.json:
            _print_json({
                "file": str(table.file), "sheet": table.sheet, "header_row": table.header_row,
                "box": {"label": table.box.label, "title": table.box.title, "footnotes": list(table.box.footnotes),
                        "sections": [s.title for s in table.box.sections]},
                "indicators": [{"row": table.source_rows[i.code], "seq": i.seq, "name": i.name, "unit": i.unit,
                                "base_text": i.base_text, "target_text": i.target.text, "attribute": i.attribute.value,
                                "kind": i.kind.value, "sub_item": i.is_sub_item,
                                "section": next((s.title for s in table.box.sections if s.key == i.section), "")}
                               for i in table.indicators],
                "problems": [p.as_dict() for p in table.problems], "changes": changes, "notes": notes,
                "ok": table.ok, "written": bool(table.ok and not args.dry_run),
            })
        else:
            rows = [[str(table.source_rows[i.code]), i.seq, ("  其中：" if i.is_sub_item else "") + i.name, i.unit,
                     i.base_text, i.target.text, i.attribute.value] for i in table.indicators]
            print(render_table(["行", "序号", "指标", "单位", "基期值", "目标值", "属性"], rows))
        _say_problems(table.problems)
        if not changes and notes:  # the table cannot go into this workspace (another plan period, a task box)
            for n in notes:
                say(f"错误：{n}")
            return REFUSED
        for n in notes:
            say(f"提示：{n}")
        if not table.ok:
            say(f"未导入：{len(table.errors)} 处错误，没有写入任何内容。请修改工作簿后重新导入。")
            return PROBLEMS
        if args.dry_run:
            say("预览完成（--dry-run），未写入。将要：" + "；".join(changes))
            return OK
        change = import_table(ws, table)
        for w in change.warnings:
            say(f"提示：{w.message}")
        if change.is_empty:
            say(f"{table.box.label} 与工作区中的内容一致，没有变化。")
        else:
            say(f"已导入 {table.box.caption}：{len(table.indicators)} 个指标（{'；'.join(changes)}）。可在程序中撤销。")
    return OK


def cmd_import_actuals(args: argparse.Namespace) -> int:
    from desktop.domain.errors import ValueRefused
    from desktop.domain.model import Nature
    from desktop.intake.apply import import_actuals
    from desktop.intake.values import read_values
    from desktop.store.workspace import Workspace

    path = Path(args.xlsx or args.csv)
    with Workspace.open(Path(args.workspace), read_only=args.dry_run) as ws:
        plan = ws.plan()
        table = read_values(path, plan, sheet=args.sheet, progress=_progress())
        if args.json:
            _print_json({"file": str(path), "sheet": table.sheet, "years": table.years,
                         "values": [{"indicator": c, "year": y, "value": str(v)} for c, y, v in table.cells],
                         "problems": [p.as_dict() for p in table.problems], "ok": table.ok})
        _say_problems(table.problems)
        if not table.ok:
            say(f"未导入：{len(table.errors)} 处错误，没有写入任何数值。")
            return PROBLEMS
        if args.dry_run:
            say(f"检查完成（--dry-run）：{len(table.matched)} 个指标、{len(table.cells)} 个数值可导入，未写入。")
            return OK
        try:
            change = import_actuals(ws, table.cells, nature=Nature(args.nature) if args.nature else None,
                                    label=f"导入实际值（{path.name}）")
        except ValueRefused as exc:
            for p in exc.problems:
                say(f"错误：{p.message}")
            say("未导入：有数值不能写入，没有写入任何数值。")
            return PROBLEMS
        for w in change.warnings:
            say(f"提示：{w.message}")
        say(f"已导入 {len(table.matched)} 个指标的 {len(table.cells)} 个数值，其中 {len(change.cells)} 个有变化。")
    return OK


def cmd_save_template(args: argparse.Namespace) -> int:
    from desktop.intake.templates import save_template
    from desktop.store.workspace import Workspace

    before = existing(args.out, f"{args.out}.json")
    with Workspace.open(Path(args.workspace), read_only=True) as ws:
        actuals = [a for by_year in ws.actuals().values() for a in by_year.values()]
        path = save_template(ws.plan(), actuals, Path(args.out), template_id=args.id, title=args.title,
                             description=args.description, with_values=args.with_values)
    print(path)
    say_kept(before, [path])
    say(f"已保存模板“{path}”。新建时选“从文件添加模板…”，或 planledger new NEW.sqlite --template {path} …")
    return OK
