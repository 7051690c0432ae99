"""`python -m desktop [WORKSPACE] [--screenshot OUT.png]` starts the window."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from desktop import __version__
    from desktop.cli.zh_argparse import ChineseArgumentParser, year

    p = ChineseArgumentParser(prog="python -m desktop", description="规划指标台账（图形界面）")
    p.add_argument("--version", action="version", version=f"planledger-gui {__version__}", help="显示版本并退出")
    p.add_argument("workspace", nargs="?", help="要打开的工作簿文件；不给出时打开示例县工作簿")
    p.add_argument("--year", type=year, help="评估年份")
    p.add_argument("--screenshot", metavar="OUT.png", help="渲染主窗口到 PNG 文件后退出（可离屏）")
    args: argparse.Namespace = p.parse_args(list(sys.argv[1:] if argv is None else argv))
    from desktop.ui.app import run_app

    return run_app(args.workspace, year=args.year, screenshot=args.screenshot)


if __name__ == "__main__":
    sys.exit(main())
