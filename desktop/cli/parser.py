"""The command-line grammar, in one place so `docs/cli.md` can be checked against it."""
from __future__ import annotations

import argparse

from .zh_argparse import ChineseArgumentParser, year

NATURES = ("快报", "年报", "预计")


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(
        prog="planledger",
        description="规划指标台账：五年规划指标、年度实际值、进度与报送（命令行）。",
    )
    from desktop import __version__

    p.add_argument("--version", action="version", version=f"planledger {__version__}", help="显示版本并退出")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    sub.required = True

    c = sub.add_parser("templates", help="列出内置的规划模板")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("new", help="从模板新建工作簿文件")
    c.add_argument("workspace", metavar="WORKSPACE", help="新工作簿文件路径（.sqlite）")
    c.add_argument("--template", required=True, metavar="NAME", help="模板名称（见 templates），或模板文件（.json，由 save-template 或上级下发）")
    c.add_argument("--region", required=True, metavar="CODE", help="6 位行政区划代码，例如 430522")
    c.add_argument("--region-name", required=True, metavar="NAME", help="行政区划名称，例如 新邵县")

    c = sub.add_parser("set", help="录入或清除一个年度实际值")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--indicator", required=True, metavar="CODE_OR_NAME", help="指标代码、名称或名称中唯一的一部分")
    c.add_argument("--year", required=True, type=year, metavar="Y", help="年份")
    c.add_argument("--value", metavar="V", help="数值；空字符串表示清除")
    c.add_argument("--status", metavar="STATUS", help="定性指标的评估结论（如 达标、基本符合）")
    c.add_argument("--nature", choices=NATURES, default="年报", help="数据性质（默认 年报）")
    c.add_argument("--source", default="", metavar="TEXT", help="数据来源")
    c.add_argument("--note", default="", metavar="TEXT", help="说明")

    c = sub.add_parser("show", help="显示指标、实际值与进度")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--year", type=year, metavar="Y", help="评估年份（默认：最近有数据的年份）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("check", help="审核：列出所有问题（有问题时退出码为 1）")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument("--year", type=year, metavar="Y", help="同时检查该年份是否缺数、约束性指标是否需说明")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = sub.add_parser("report", help="生成报表（PDF / Excel）：专栏表、进展情况表、报送表；市级的汇总进展情况表、地区对比表")
    c.add_argument("workspace", metavar="WORKSPACE", help="工作簿文件（.sqlite）")
    c.add_argument(
        "--kind", required=True, choices=("box", "progress", "submission", "consolidated", "comparison"),
        help="box 专栏表 · progress 进展情况表 · submission 报送表 · consolidated 汇总进展情况表 · comparison 地区对比表（后两种须已导入下级报送文件）",
    )
    c.add_argument("--box", metavar="LABEL", help="专栏标签，如 专栏2（--kind box 时必需，规划只有一个专栏时可省略）")
    c.add_argument("--year", type=year, metavar="Y", help="评估年份（默认：最近有数据的年份；市级报表为最近有报送文件的年份）")
    c.add_argument("--pdf", metavar="OUT", help="输出 PDF 文件")
    c.add_argument("--xlsx", metavar="OUT", help="输出 Excel 文件")
    c.add_argument("--charts", action="store_true", help="进展情况表附图表页：总览图与各指标小图（矢量，仅 PDF）")
    c.add_argument("--body-font", metavar="TTF", help="正文字体文件（TrueType，默认使用内置的思源宋体 Noto Serif SC）")
    c.add_argument("--heading-font", metavar="TTF", help="标题字体文件（TrueType，默认使用内置的 Noto Sans SC Bold）")
    c.add_argument("--save-fonts", action="store_true", help="把 --body-font / --heading-font 保存为本机默认报表字体")

    try:  # the submission-file commands (export, verify, import, consolidate, diff)
        from .exchange_commands import add_exchange_commands
    except ModuleNotFoundError as exc:
        if exc.name != "desktop.cli.exchange_commands":
            raise
    else:
        add_exchange_commands(sub, year)
    from .definition_commands import add_definition_commands  # planledger indicator / history

    add_definition_commands(sub, year)
    from .chart_command import add_chart_command  # planledger chart (PNG / SVG)

    add_chart_command(sub, year)
    from .intake_commands import add_intake_commands  # import-table, import-actuals, collect … (docs/intake.md)

    add_intake_commands(sub, year)
    return p
