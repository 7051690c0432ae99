"""The submission-file commands: export, verify, import, consolidate, diff (docs/exchange.md)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.domain.errors import ValueRefused
from desktop.domain.progress import number_text, percent_text

from .runner import BAD_FILE, OK, existing, say, say_kept
from .text_table import render_table

NATURES = ("快报", "年报", "预计")


def add_exchange_commands(sub: Any, year: Any) -> None:
    c = sub.add_parser("export", help="导出报送文件（单个 SQLite 文件，含报送清单与数据指纹）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--year", required=True, type=year, metavar="Y", help="报送年份")
    c.add_argument("--out", metavar="FILE", help="输出文件（默认：工作簿旁的 <区划代码>_<名称>_<年份>年_指标报送.sqlite）")
    c.add_argument("--nature", choices=NATURES, help="数据性质（默认：按报送年份数值中最弱的一种）")

    c = sub.add_parser("verify", help="核验收到的报送文件（任一文件不通过时退出码为 3）")
    c.add_argument("files", nargs="+", metavar="FILE", help="报送文件或存放报送文件的文件夹")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("import", help="把下级报送文件导入本级工作簿（逐个核验，坏文件不影响其他文件）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="报送文件或存放报送文件的文件夹")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("consolidate", help="汇总下级报送数值并计算本级进度")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--year", required=True, type=year, metavar="Y", help="汇总年份")
    c.add_argument("--write", action="store_true", help="把汇总值写入本级工作簿（之后可导出本级报送文件）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("diff", help="比较两个报送文件，列出变化的数值")
    c.add_argument("file_a", metavar="FILE_A", help="较早的报送文件")
    c.add_argument("file_b", metavar="FILE_B", help="较新的报送文件")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.exchange import export_submission
    from desktop.exchange.manifest import read_manifest
    from desktop.store.workspace import Workspace

    from desktop.exchange.export import default_name

    with Workspace.open(Path(args.workspace)) as ws:
        target = Path(args.out) if args.out is not None else ws.path.with_name(default_name(ws.plan(), args.year))
        before = existing(target / default_name(ws.plan(), args.year) if target.is_dir() else target)
        path = export_submission(ws, args.year, args.out, nature=args.nature)
    import sqlite3

    from desktop.store.workspace import sqlite_uri

    conn = sqlite3.connect(sqlite_uri(path) + "?mode=ro&immutable=1", uri=True)
    try:
        m = read_manifest(conn)
    finally:
        conn.close()
    print(path)
    if m is not None:
        say(f"已导出 {m.region_name}（{m.region_code}）{m.report_year} 年报送文件（{m.nature}）：{path}")
        say(f"数据指纹：{m.fingerprint}")
    say_kept(before, [path])
    return OK


def cmd_verify(args: argparse.Namespace) -> int:
    from desktop.exchange import verify_submission
    from desktop.exchange.importer import submission_files

    if any(not str(f).strip() for f in args.files):
        raise ValueRefused("文件名为空：请给出报送文件或所在文件夹")
    results = [verify_submission(f) for f in submission_files(args.files)]
    if args.json:
        _print_json({"files": [r.as_dict() for r in results], "ok": all(r.ok for r in results)})
    else:
        for r in results:
            if r.ok and r.manifest is not None:
                m = r.manifest
                values = sum(len(v) for v in r.actuals.values())
                print(f"通过：{r.path.name}  {m.region_name}（{m.region_code}）{m.report_year}年 {m.nature}  {values} 个数值  指纹 {m.fingerprint[:16]}…")
            for reason in r.reasons:
                say(f"不通过：{reason}")
        bad = sum(not r.ok for r in results)
        say(f"核验完成：{len(results) - bad} 个通过，{bad} 个不通过。")
    return BAD_FILE if any(not r.ok for r in results) else OK


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.exchange import import_submissions
    from desktop.exchange.importer import auto_workers
    from desktop.store.workspace import Workspace

    with Workspace.open(Path(args.workspace)) as ws:
        report = import_submissions(ws, args.paths, workers=auto_workers())
    if args.json:
        _print_json(report.as_dict())
    else:
        for msg in report.not_found:
            say(f"错误：{msg}")
        for item in report.items:
            if item.status == "imported":
                resub = f"，第 {item.version} 版（重新报送，之前的版本保留）" if (item.version or 0) > 1 else ""
                print(f"已导入：{item.path.name}  {item.region_name}（{item.region_code}）{item.year}年，{item.values} 个数值{resub}")
            elif item.status == "duplicate":
                print(f"重复：{item.path.name}  与已导入的第 {item.version} 版相同，未改变")
            for reason in item.reasons:
                say(f"拒收：{reason}")
            for w in item.warnings:
                if item.status == "imported":
                    say(f"提示：{w}")
        say(report.summary() + "。")
    return OK if report.ok else BAD_FILE


def cmd_consolidate(args: argparse.Namespace) -> int:
    from desktop.exchange import consolidate, write_consolidation
    from desktop.store.workspace import Workspace

    with Workspace.open(Path(args.workspace), read_only=not args.write) as ws:
        result = consolidate(ws, args.year)
        written = write_consolidation(ws, result) if args.write else None
    if args.json:
        data = result.as_dict()
        if written is not None:
            data["written"] = written
        _print_json(data)
        return OK
    plan = result.plan
    print(f"{plan.region_name}（{plan.region_code}）{result.year} 年汇总：{len(result.submissions)} 个地区已报送")
    rows = []
    for ind in result.indicators:
        regions = "；".join(f"{r.name} {number_text(r.value) if r.value is not None else (r.status or '—')}" for r in ind.regions)
        value = number_text(ind.value) if ind.value is not None else "—"
        rows.append([ind.name, ind.unit, ind.rule.value, value, percent_text(ind.completion), ind.status,
                     regions if ind.status == "不可汇总" else str(len(ind.regions))])
    print(render_table(["指标", "单位", "规则", f"{result.year}年", "完成进度", "评估结论", "地区"], rows))
    if result.missing_regions:
        print("未报送：" + "、".join(f"{n}（{c}）" for c, n in result.missing_regions))
    for w in result.warnings:
        say(f"提示：{w}")
    if written is not None:
        say(f"已把 {written} 个汇总值写入“{Path(args.workspace).name}”。")
    return OK


def cmd_diff(args: argparse.Namespace) -> int:
    from desktop.exchange.diff import describe, diff_files

    d = diff_files(args.file_a, args.file_b)
    if args.json:
        _print_json(d.as_dict())
        return OK
    for note in d.notes:
        print(note)
    if not d.changes:
        print("数值没有变化。")
    for c in d.changes:
        print(("新增 " if c.kind == "added" else "删除 " if c.kind == "removed" else "修改 ") + describe(c))
    return OK
