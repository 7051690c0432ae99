"""`planledger chart`: an indicator chart, the overview, or a region comparison to PNG / SVG.

The figures come from ``desktop.domain.series`` (the progress module underneath); the drawing
is the screen's pyqtgraph chart, rendered offscreen by ``desktop.ui.charts.export``. That is the
one place the CLI reaches into ``desktop.ui``, and only inside ``cmd_chart``, so no other
command loads Qt (tests/test_architecture.py allows exactly this import).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.domain.errors import ValueRefused

from .runner import OK, existing, say, say_kept

FORMATS = (".png", ".svg")


def add_chart_command(sub: Any, year: Any) -> None:
    c = sub.add_parser("chart", help="导出图表（PNG / SVG）：单个指标图、总览图或分地区对比图")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    what = c.add_mutually_exclusive_group(required=True)
    what.add_argument("--indicator", metavar="CODE_OR_NAME", help="单个指标的图：各年实际值、序时进度线、目标线、趋势预测")
    what.add_argument("--overview", action="store_true", help="总览图：各指标完成进度与序时进度")
    what.add_argument("--compare", metavar="CODE_OR_NAME", help="分地区对比图（市级工作簿，须已导入下级报送文件）")
    c.add_argument("--year", type=year, metavar="Y", help="评估年份（默认：最近有数据的年份）")
    c.add_argument("--out", required=True, metavar="FILE", help="输出文件，.png 或 .svg")
    c.add_argument("--size", default="900x520", metavar="WxH", help="图表大小（像素，默认 900x520；PNG 按 1600 像素宽输出）")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise ValueRefused(f"--size “{text}”无效：请写成 宽x高，如 900x520") from None
    if not (200 <= w <= 4000 and 150 <= h <= 4000):
        raise ValueRefused(f"--size “{text}”超出范围：宽 200—4000、高 150—4000 像素")
    return w, h


def cmd_chart(args: argparse.Namespace) -> int:
    from desktop.domain import series
    from desktop.domain.lookup import resolve_indicator
    from desktop.domain.progress_table import default_year
    from desktop.store.workspace import Workspace

    from .commands import workspace_settings

    from desktop.store.outputs import check_output

    out = check_output(args.out, FORMATS, "图表文件")
    before = existing(out)
    size = _size(args.size)
    with Workspace.open(Path(args.workspace), read_only=True) as ws:
        plan, actuals, settings = ws.plan(), ws.actuals(), workspace_settings(ws)
        year = args.year if args.year is not None else default_year(plan, actuals)
        if not plan.start_year <= year <= plan.end_year:
            raise ValueRefused(f"评估年份 {year} 不在规划期 {plan.start_year}—{plan.end_year} 年内")
        if args.overview:
            data: Any = series.overview_series(plan, actuals, year, settings)
            kind, what = "overview", f"{year}年总览图"
        elif args.indicator:
            ind = resolve_indicator(plan, args.indicator)
            data = series.indicator_series(ind, actuals.get(ind.code, {}), year, base_year=plan.base_year,
                                           end_year=plan.end_year, settings=settings)
            kind, what = "indicator", f"“{ind.name}”{year}年指标图"
        else:
            ind = resolve_indicator(plan, args.compare)
            data = _comparison(ws, plan, ind, year, settings)
            kind, what = "comparison", f"“{ind.name}”{year}年分地区对比图"
    from desktop.ui.charts.export import export_series  # lazy: only this command loads Qt

    path = export_series(kind, data, out, size=size)
    print(path)
    say(f"已导出{what}：{path}")
    say_kept(before, [path])
    return OK


def _comparison(ws: Any, plan: Any, ind: Any, year: int, settings: Any) -> Any:
    from desktop.domain.series import comparison_series
    from desktop.exchange.consolidate import consolidate

    result = consolidate(ws, year, settings)
    if not result.submissions:
        raise ValueRefused(f"{year} 年还没有导入任何下级地区的报送文件，无法作分地区对比（先用 planledger import 导入）")
    item = next(i for i in result.indicators if i.code == ind.code)
    return comparison_series(item, year, region_name=plan.region_name, direction=ind.direction,
                             missing=[name for _, name in result.missing_regions])
