"""argparse speaking Chinese: its own messages translated, usage errors exit 2 in Chinese.

argparse looks its messages up through the module-global ``_`` at call time, so replacing
that one function translates usage, errors and help headings without forking argparse.
"""
from __future__ import annotations

import argparse
import sys
from typing import NoReturn

_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个参数值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：用法错误：%(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出其中之一",
    "expected at least one argument": "至少需要一个参数值",
}


def _translate(message: str) -> str:
    return _ZH.get(message, message)


argparse._ = _translate  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are Chinese and exit with code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _translate("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


def year(text: str) -> int:
    """A four-digit year argument."""
    folded = text.strip().translate({0xFF10 + i: 0x30 + i for i in range(10)})
    if not (folded.isascii() and folded.isdigit() and len(folded) == 4):
        raise argparse.ArgumentTypeError(f"年份“{text}”应为四位数字，例如 2023")
    return int(folded)
