"""The spine's commands: templates, new, set, show, check."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import resources
from desktop.domain.errors import Severity, ValueRefused
from desktop.domain.model import Kind, Nature
from desktop.domain.notation import parse_value
from desktop.domain.progress import Settings, Status, number_text
from desktop.domain.progress_table import default_year, plan_json, progress_table, review
from desktop.domain.template_format import template_info
from desktop.store import actions
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace

from .runner import OK, PROBLEMS, existing, say, say_kept
from .text_table import render_table


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _open(path: str, *, read_only: bool = False) -> Workspace:
    return Workspace.open(Path(path), read_only=read_only)


def cmd_templates(args: argparse.Namespace) -> int:
    infos = [template_info(resources.read_template(name)) for name in resources.template_names()]
    if args.json:
        _print_json([info.as_dict() for info in infos])
        return OK
    rows = [[i.name, i.title, f"{i.region_name}（{i.region_code}）", f"{i.start_year}—{i.end_year}", str(i.indicator_count), "含示例值" if i.sample else ""] for i in infos]
    print(render_table(["名称", "标题", "地区", "规划期", "指标数", "备注"], rows))
    return OK


def cmd_new(args: argparse.Namespace) -> int:
    ws = new_workspace(args.workspace, template=args.template, region_code=args.region, region_name=args.region_name)
    with ws:
        plan = ws.plan()
        say(f"已新建“{ws.path}”：{plan.title}，{plan.region_name}（{plan.region_code}），{len(plan.indicators)} 个指标。")
    return OK


def cmd_set(args: argparse.Namespace) -> int:
    from desktop.domain.lookup import resolve_indicator

    if args.value is None and args.status is None:
        raise ValueRefused("请用 --value 给出数值（空字符串表示清除），或用 --status 给出定性指标的评估结论")
    with _open(args.workspace) as ws:
        plan = ws.plan()
        ind = resolve_indicator(plan, args.indicator)
        value = parse_value(args.value, ind.unit) if args.value is not None else None
        status = ""
        if args.status is not None:
            status = args.status.strip()
            if ind.kind is not Kind.QUALITATIVE:
                raise ValueRefused(f"“{ind.name}”不是定性指标，不能直接设置评估结论；请录入数值")
            if status and status not in {s.value for s in Status}:
                raise ValueRefused(f"评估结论“{status}”无效，可选：" + "、".join(s.value for s in Status))
        change = actions.set_actual(
            ws, ind.code, args.year, value, nature=Nature(args.nature), source=args.source, note=args.note, status=status
        )
        for w in change.warnings:
            say(f"提示：{w.message}")
        if change.is_empty:
            say(f"未改变：{args.year}年 {ind.name} 已是该值。")
        elif value is None and not status:
            say(f"已清除：{args.year}年 {ind.name}")
        else:
            shown = number_text(value) if value is not None else status  # as stored: "1.5万" → 1.5
            say(f"已保存：{args.year}年 {ind.name} = {shown} {ind.unit if value is not None else ''}（{args.nature}）".rstrip())
    return OK


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args.workspace, read_only=True) as ws:
        plan, actuals = ws.plan(), ws.actuals()
        year = args.year if args.year is not None else default_year(plan, actuals)
        table = progress_table(plan, actuals, year, workspace_settings(ws))
        if args.json:
            data = plan_json(plan, actuals, table)
            data["workspace"] = str(ws.path)
            _print_json(data)
            return OK
        print(f"{plan.title}")
        print(f"{plan.region_name}（{plan.region_code}）  规划期 {plan.start_year}—{plan.end_year}  评估年份 {year}  序时进度 {table.time_progress_text}")
        if plan.sample_note:
            print(f"注：{plan.sample_note}")
        header = ["序号", "指标", "单位", "属性", "基期值", "目标值", *[str(y) for y in table.years], "完成进度", "序时进度", "评估结论", "预计"]
        rows = []
        for r in table.rows:
            if r.kind == "section":
                rows.append([r.name])
                continue
            mark = "！" if r.binding_behind else ""
            rows.append([r.seq, ("  " * r.indent) + r.name, r.unit, r.attribute, r.base, r.target, *r.values, r.completion, r.time_progress, mark + r.status, r.projection])
        print(render_table(header, rows))
    return OK


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args.workspace, read_only=True) as ws:
        plan, actuals = ws.plan(), ws.actuals()
        if args.year is not None and not plan.start_year <= args.year <= plan.end_year:
            raise ValueRefused(f"年份 {args.year} 不在规划期 {plan.start_year}—{plan.end_year} 年内")
        problems = review(plan, actuals, args.year, workspace_settings(ws))
    if args.json:
        _print_json({"problems": [p.as_dict() for p in problems], "count": len(problems)})
    else:
        for p in problems:
            print(f"{p.severity.value}：{p.message}")
        errors = sum(p.severity is Severity.ERROR for p in problems)
        say(f"审核完成：{errors} 个错误，{len(problems) - errors} 个提示。" if problems else "审核通过：没有发现问题。")
    return PROBLEMS if problems else OK


def cmd_report(args: argparse.Namespace) -> int:
    from desktop.reports import KINDS, ReportRequest, write_report
    from desktop.reports.fonts import ReportFonts, register
    from desktop.store import app_settings

    if getattr(args, "charts", False) and args.kind != "progress":
        raise ValueRefused("--charts 只用于 --kind progress（进展情况表附图表页）")
    pdf = Path(args.pdf) if args.pdf is not None else None
    xlsx = Path(args.xlsx) if args.xlsx is not None else None
    before = existing(pdf, xlsx)
    body, heading = app_settings.report_font_paths(args.body_font, args.heading_font)
    fonts = ReportFonts(body=body, heading=heading)
    if args.save_fonts:
        register(fonts)  # refuses a CFF or damaged font before it is saved
        app_settings.save({"report_body_font": args.body_font, "report_heading_font": args.heading_font})
        say("已保存本机默认报表字体。")
    if args.kind in ("consolidated", "comparison"):  # the city's reports, from received submissions
        from desktop.exchange.city_reports import CITY_KINDS, write_city_report

        if args.box is not None:
            raise ValueRefused(f"--box 只用于 --kind box；{CITY_KINDS[args.kind]}列出全部指标")
        with _open(args.workspace, read_only=True) as ws:
            written = write_city_report(ws, args.kind, args.year, pdf=pdf, xlsx=xlsx, fonts=fonts)
        for path in written:
            say(f"已生成{CITY_KINDS[args.kind]}：{path}")
        say_kept(before, written)
        return OK
    with _open(args.workspace, read_only=True) as ws:
        plan, actuals = ws.plan(), ws.actuals()
        written = write_report(
            plan,
            actuals,
            ReportRequest(args.kind, args.year, args.box, charts=getattr(args, "charts", False)),
            pdf=pdf,
            xlsx=xlsx,
            settings=workspace_settings(ws),
            fonts=fonts,
        )
    for path in written:
        say(f"已生成{KINDS[args.kind]}：{path}")
    say_kept(before, written)
    return OK


def workspace_settings(ws: Workspace) -> Settings:
    """The progress settings a workspace keeps (the ± band of 序时进度), defaults otherwise."""
    return ws.progress_settings()
