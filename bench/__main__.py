"""``python -m bench [NAME...]``: run the benchmarks, one line per goal, exit 1 on a miss."""
from __future__ import annotations

import importlib
import sys

SUITES = ("editor", "reports", "exchange", "memory")


def main(argv: list[str]) -> int:
    names = argv or list(SUITES)
    failed = False
    for name in names:
        if name not in SUITES:
            print(f"未知的基准测试：{name}（可选：{'、'.join(SUITES)}）", file=sys.stderr)
            return 2
        for result in importlib.import_module(f"bench.{name}").run():
            print(result.line(), flush=True)
            failed = failed or not result.passed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
