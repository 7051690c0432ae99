"""`planledger`: the headless commands. Same functions as the UI; messages in Chinese on stderr.

Exit codes: 0 ok · 1 problems found · 2 usage error or refused input · 3 unreadable or
invalid file. A user's mistake never shows a traceback.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence



def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point (imports here: the GUI reuses ``zh_argparse`` and starts faster
    without the commands)."""
    from .parser import build_parser
    from .runner import run

    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
