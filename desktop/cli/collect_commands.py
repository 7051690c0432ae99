"""Department fill-in workbooks and target decomposition (docs/intake.md): collect, collect-in,
split-export."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.domain.errors import NotFound

from .runner import OK, PROBLEMS, say


def add_collect_commands(sub: Any, year: Any) -> None:
    c = sub.add_parser("collect", help="为每个责任单位生成一份科室填报表（.xlsx，只含其指标，仅填报单元格可编辑）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--year", required=True, type=year, metavar="Y", help="填报年份")
    c.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    c.add_argument("--unit", action="append", metavar="NAME", help="只为该责任单位生成（可重复）")

    c = sub.add_parser("collect-in", help="收回科室填报表：校验后汇总写入（谁填了什么、缺什么、与已录入数值的冲突）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("files", nargs="+", metavar="FILE", help="科室填回的填报表（.xlsx）或存放它们的文件夹")
    c.add_argument("--overwrite", action="store_true", help="与工作区已有数值不同时，以填报表为准（默认保留已有数值并列出冲突）")
    c.add_argument("--dry-run", action="store_true", help="只检查和汇总，不写入")
    c.add_argument("--json", action="store_true", help="以 JSON 输出汇总")

    try:
        from .split_command import add_split_command
    except ModuleNotFoundError as exc:
        if exc.name != "desktop.cli.split_command":
            raise
    else:
        add_split_command(sub, year)


def cmd_collect(args: argparse.Namespace) -> int:
    from desktop.intake.collect import units_of, write_collect_workbooks
    from desktop.store.workspace import Workspace

    out = Path(args.out)
    before = {p.name for p in out.iterdir()} if out.is_dir() else set()
    with Workspace.open(Path(args.workspace), read_only=True) as ws:
        plan = ws.plan()
        paths = write_collect_workbooks(plan, ws.actuals(), args.year, out, units=args.unit)
        groups = units_of(plan)
    for path in paths:
        print(path)
        if path.name in before:
            say(f"原有的“{path.name}”已保留为备份“{backup_name(path)}”（若已填写，请从备份中收回）。")
    say(f"已为 {len(paths)} 个责任单位生成 {args.year} 年填报表（{'、'.join(u for u in groups if not args.unit or u in args.unit)}），"
        f"保存在“{args.out}”。")
    return OK


def backup_name(path: Path) -> str:
    from desktop.store.outputs import latest_backup

    backup = latest_backup(path)
    return backup.name if backup is not None else "？"


def _files(items: list[str]) -> list[Path]:
    """The forms named, and those directly inside each folder named (not backups)."""
    from desktop.store.outputs import is_backup

    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out += sorted(x for x in p.iterdir() if x.suffix.lower() in (".xlsx", ".xlsm") and not x.name.startswith(("~$", ".~"))
                          and not is_backup(x))
        else:
            out.append(p)
    return out


def cmd_collect_in(args: argparse.Namespace) -> int:
    from desktop.domain.errors import PlanLedgerError
    from desktop.intake.apply import apply_collected
    from desktop.intake.collect import CollectedFile, collect_summary, read_collected
    from desktop.intake.problems import IntakeProblem, Severity
    from desktop.store.workspace import Workspace

    with Workspace.open(Path(args.workspace), read_only=args.dry_run) as ws:
        plan, actuals = ws.plan(), ws.actuals()
        found = _files(args.files)
        if not found:
            raise NotFound(f"在“{'、'.join(args.files)}”中没有找到填报表（.xlsx）")
        files: list[CollectedFile] = []
        for path in found:
            try:
                files.append(read_collected(path, plan, actuals))
            except PlanLedgerError as exc:
                bad = CollectedFile(path)
                bad.problems.append(IntakeProblem(Severity.ERROR, exc.message, path.name))
                files.append(bad)
        summary = collect_summary(files, plan, overwrite=args.overwrite)
        name = lambda code: plan.indicator(code).name if plan.indicator(code) else code  # noqa: E731
        if args.json:
            print(json.dumps({
                "year": summary.year,
                "files": [{"file": str(f.file), "unit": f.unit, "filler": f.filler, "phone": f.phone,
                           "filled": [{"indicator": v.code, "name": name(v.code), "value": str(v.value)} for v in f.values],
                           "missing": [name(c) for c in f.missing],
                           "conflicts": [{"indicator": c, "name": name(c), "workspace": str(o), "file": str(n)}
                                         for c, o, n in f.conflicts],
                           "problems": [p.as_dict() for p in f.problems]} for f in files],
                "between_files": [{"indicator": c, "name": name(c), "values": {u: str(v) for u, v in vs}}
                                  for c, vs in summary.between_files],
                "not_returned": summary.not_returned, "to_write": len(summary.cells), "ok": summary.ok,
            }, ensure_ascii=False, indent=2))
        for f in files:
            who = f"{f.unit or f.file.name}" + (f"（填报人 {f.filler}{'，' + f.phone if f.phone else ''}）" if f.filler else "")
            say(f"{who}：填报 {len(f.values)} 项，未填 {len(f.missing)} 项" + (f"（{'、'.join(name(c) for c in f.missing)}）" if f.missing else ""))
            for p in f.problems:
                say(f"  {p.severity.value}：{p.message}")
            for code, old, new in f.conflicts:
                taken = "以填报表为准" if args.overwrite else "保留已有数值"
                say(f"  冲突：{name(code)} 工作区中为 {old}，填报表为 {new}（{taken}）")
        for code, values in summary.between_files:
            listed = "、".join(f"{u} {v}" for u, v in values)
            say(f"错误：{name(code)} 在多份填报表中数值不同：{listed}；请核实后只保留一份")
        if summary.not_returned:
            say(f"未收回：{'、'.join(summary.not_returned)}")
        if not summary.ok:
            say("未写入：填报表有错误，没有写入任何数值。请退回科室修改后重新收回。")
            return PROBLEMS
        if args.dry_run:
            say(f"检查完成（--dry-run）：可写入 {len(summary.cells)} 个数值，未写入。")
            return OK
        if not summary.cells:
            say("没有可写入的数值：填报表中没有填写任何数值。")
            return OK
        change = apply_collected(ws, summary)
        say(f"已写入 {len(change.cells)} 个数值（{summary.year} 年）。")
    return OK
