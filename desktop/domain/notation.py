"""Target notation (DESIGN §4) and value input parsing.

Plans print targets in many hands: ``[>23.5]``, ``5.5以内``, ``控制在5.5%以内``, ``65万人以上``,
``30%左右``, ``4-6``, ``—``, ``基本覆盖`` … This module turns such a text into a
:class:`~desktop.domain.model.Target` (comparator, number, flags) and keeps the text exactly as
written, because reports print it as the plan printed it. Typed actual values go through
:func:`parse_value`. Everything here is pure (no I/O) so the UI, the CLI, imports and the
submission verifier all refuse the same inputs with the same Chinese messages.

Decisions (documented here because callers and the help text rely on them):

* Folding: full-width ASCII forms (``＞ ［ ］ ２３．５ ％ （ ） ，``), the ideographic space,
  ``≧ ≦ − 〜`` are folded before parsing; ``>=``/``<=`` mean ``≥``/``≤``. Only ASCII digits
  (after folding) count as digits: ``①`` or ``²`` are never read as numbers.
* Negative targets: a sign (``-`` or ``+``) is accepted only inside brackets, where the target is
  a change over the period (``[-13.5]``: fall by 13.5). Outside brackets a leading ``-`` is
  refused: level targets in these plans are never negative, and ``-`` alone means "no target"
  while ``4-6`` is an interval, so a stray dash must not silently become a number.
* Scientific notation (``1e5``), ``NaN``, ``∞`` are refused everywhere: nobody types them in a
  plan, and accepting them would let a pasted spreadsheet artefact become a value.
* A trailing unit is accepted when it repeats the indicator's unit (``23.5万人`` for 万人) or
  is its magnitude prefix (``23.5万`` for 万人); it never rescales the number, so ``65万人``
  for an indicator in 人 is refused rather than multiplied. With no indicator unit given, any
  plausible unit (magnitude + measure word, ``%``, ``‰``) is accepted.
* Qualitative: text with CJK characters and no digit that is not just a comparison word
  (``不超过``, ``以上``) or a unit is qualitative (``基本覆盖``, ``高于GDP增长``). ``不超过`` with
  no number is refused: it states a comparison but not what to compare with.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .errors import NotationError
from .model import Comparator, Direction, Kind, Target

__all__ = [
    "normalise_text",
    "parse_target",
    "parse_value",
    "format_decimal",
    "infer_kind",
]

# --------------------------------------------------------------------------------------------
# Folding

_EXTRA_FOLD = {
    "\u3000": " ",  # ideographic space
    "\u2212": "-",  # minus sign
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u301c": "~",  # wave dash 〜
    "\u2267": "≥",  # ≧
    "\u2266": "≤",  # ≦
    "\u00a0": " ",
}


def normalise_text(s: str) -> str:
    """Fold full-width ASCII forms to ASCII and trim, so ``［＞２３．５］`` reads as ``[>23.5]``.

    Deliberately narrower than NFKC: NFKC would also turn ``①`` or ``²`` into digits, which
    must not silently become target numbers. Characters without an ASCII form (``—``, ``≥``,
    ``“”``) are kept.
    """
    out: list[str] = []
    for ch in s:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(_EXTRA_FOLD.get(ch, ch))
    return "".join(out).strip()


def _fold(s: str) -> str:
    """Fold, drop all whitespace and spell two-character comparators as one symbol."""
    t = re.sub(r"\s+", "", normalise_text(s))
    return t.replace(">=", "≥").replace("<=", "≤")


class _Lazy:
    """A pattern compiled when first used: opening a workspace parses only plain targets, and
    a big alternation or a CJK character class costs milliseconds to compile at start."""

    __slots__ = ("_args", "_re")

    def __init__(self, *args: object) -> None:
        self._args = args
        self._re: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> object:
        if self._re is None:
            self._re = re.compile(*self._args)  # type: ignore[call-overload]
        return getattr(self._re, name)


# --------------------------------------------------------------------------------------------
# Vocabulary

_NUM = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_NUM_RE = _Lazy(rf"(?:{_NUM})")

# Words before the number. Strong words fix the comparator; weak ones (达到, 控制在 …) only give
# a default and yield to a suffix word (控制在5.5%以内, 达到30%左右).
_STRONG_PREFIX: dict[str, Comparator] = {
    "不低于": Comparator.GE,
    "不少于": Comparator.GE,
    "不小于": Comparator.GE,
    "不超过": Comparator.LE,
    "不高于": Comparator.LE,
    "不多于": Comparator.LE,
    "不大于": Comparator.LE,
    "超过": Comparator.GT,
    "高于": Comparator.GT,
    "多于": Comparator.GT,
    "大于": Comparator.GT,
    "低于": Comparator.LT,
    "少于": Comparator.LT,
    "小于": Comparator.LT,
}
_WEAK_PREFIX: dict[str, Comparator] = {
    "达到": Comparator.GE,
    "达": Comparator.GE,
    "控制在": Comparator.LE,
    "保持在": Comparator.EQ,
    "稳定在": Comparator.EQ,
}
_SYMBOL: dict[str, Comparator] = {
    "≥": Comparator.GE,
    ">": Comparator.GT,
    "≤": Comparator.LE,
    "<": Comparator.LT,
}
_SUFFIX: dict[str, Comparator] = {
    "及以上": Comparator.GE,
    "以上": Comparator.GE,
    "及以下": Comparator.LE,
    "以下": Comparator.LE,
    "以内": Comparator.LE,
    "之内": Comparator.LE,
    "左右": Comparator.APPROX,
}
_ASPIRATION = "力争"


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation that tries longer words first (以上 before 上, 不超过 before 超过)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MAGNITUDE_CHARS = "十百千万亿"
_MEASURE_WORDS = (
    "个百分点 百分点 平方米 平方公里 公里 千米 小时 人次 人年 人 个 家 所 名 件 张 元 次 项 户 座 "
    "台 套 岁 年 天 月 日 亩 米 倍 位 支 批 期 场 篇 本 处 条 间 种 类 份 例 册 吨 辆 床 班 门"
).split()
_UNIT_RE = _Lazy(
    rf"%|‰|[{_MAGNITUDE_CHARS}]{{1,2}}(?:{_alternation(_MEASURE_WORDS)})?"
    rf"(?:/(?:{_alternation(_MEASURE_WORDS)}))?"
    rf"|(?:{_alternation(_MEASURE_WORDS)})(?:/(?:{_alternation(_MEASURE_WORDS)}))?"
)

# Characters a unit may not contain: digits, number punctuation, brackets, comparison symbols,
# signs and range separators. Anything else between the number and the end (or a suffix word)
# is taken as a unit and then checked against the indicator's unit.
_UNIT_CHARS = r"[^0-9.,\[\]<>≥≤+\-~—–至]*?"
_RANGE_SEP = r"-|~|—|–|至"

_TARGET_RE = re.compile(
    rf"(?P<prefix>{_alternation(list(_STRONG_PREFIX) + list(_WEAK_PREFIX))})?"
    rf"(?P<symbol>[≥≤<>])?"
    rf"(?P<sign>[-+])?"
    rf"(?P<num>{_NUM})"
    rf"(?P<unit>{_UNIT_CHARS})"
    rf"(?:(?P<sep>{_RANGE_SEP})(?P<num2>{_NUM})(?P<unit2>{_UNIT_CHARS}))?"
    rf"(?P<suffix>{_alternation(_SUFFIX)})?"
)

_WORDS_RE = _Lazy(
    _alternation(
        list(_STRONG_PREFIX) + list(_WEAK_PREFIX) + list(_SUFFIX) + [_ASPIRATION, "控制在"]
    )
)
_NONE_RE = re.compile(r"[-—–―‐/]*")
_CJK_RE = _Lazy(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SCI_RE = re.compile(r"[0-9.]e[-+]?[0-9]", re.IGNORECASE)


def _refuse(text: str, reason: str) -> NotationError:
    return NotationError(f"目标值“{text}”无法识别：{reason}")


def _unit_problem(found: str, unit: str) -> str | None:
    """None when ``found`` may follow a number of an indicator in ``unit``, else a reason.

    The suffix must repeat the unit or be its magnitude prefix (万 for 万人); it never rescales.
    """
    if not found:
        return None
    want = _fold(unit)
    if want:
        if found == want:
            return None
        if want.startswith(found) and all(c in _MAGNITUDE_CHARS for c in found):
            return None
        return f"单位“{found}”与指标单位“{unit.strip()}”不符"
    if _UNIT_RE.fullmatch(found):
        return None
    return f"“{found}”不是可识别的单位"


MAX_INTEGER_DIGITS = 15
"""At most 15 digits before the point (below 10^15, 1,000 万亿): a county's largest figure, a
fund balance in 元, has ~11; more is a typing or paste accident."""
MAX_DECIMALS = 18
"""At most 18 decimal places (a received file may hold no smaller magnitude, ``verify``)."""
MAX_SIGNIFICANT = 20
"""At most 20 significant digits: every figure derived from a value (ratios, percentages) is
then exact in the 28-digit arithmetic of ``decimal``; a float from a workbook has at most 17."""


def _to_decimal(digits: str, text: str) -> Decimal:
    """Digits as matched by ``_NUM`` (thousands commas allowed) to a Decimal without exponent;
    ``NotationError`` (quoting ``text``) for a number outside the limits above."""
    d = Decimal(digits.replace(",", ""))
    t = d.as_tuple()
    text = text if len(text) <= 32 else text[:30] + "…"
    if d and d.adjusted() >= MAX_INTEGER_DIGITS:
        raise NotationError(f"数值“{text}”太大：整数部分最多 {MAX_INTEGER_DIGITS} 位")
    if -int(t.exponent) > MAX_DECIMALS:
        raise NotationError(f"数值“{text}”的小数位数太多：最多 {MAX_DECIMALS} 位")
    if len(t.digits) > MAX_SIGNIFICANT:
        raise NotationError(f"数值“{text}”的有效数字太多：最多 {MAX_SIGNIFICANT} 位")
    return abs(d) if d == 0 else d


# --------------------------------------------------------------------------------------------
# Targets


def parse_target(text: str, unit: str = "") -> Target:
    """Parse a 目标值 as printed in a plan (DESIGN §4); ``Target.text`` is ``text`` unchanged.

    ``unit`` is the indicator's unit; a unit repeated in the text must agree with it. Raises
    :class:`NotationError` (Chinese, quoting ``text``) for anything that is neither a known
    notation, an absent target (``—``, ``-``, empty) nor qualitative text.
    """
    s = _fold(text)
    if _NONE_RE.fullmatch(s):
        return Target(text=text)

    aspirational = False
    if s.startswith(_ASPIRATION):
        aspirational, s = True, s[len(_ASPIRATION):]

    if not re.search(r"[0-9]", s):
        return _qualitative(text, s, aspirational)

    if _SCI_RE.search(s):
        raise _refuse(text, "不支持科学计数法，请直接写出数字")

    cumulative = False
    if s.startswith("[") and s.endswith("]"):
        cumulative, s = True, s[1:-1]
        if not aspirational and s.startswith(_ASPIRATION):
            aspirational, s = True, s[len(_ASPIRATION):]
    if "[" in s or "]" in s:
        raise _refuse(text, "方括号不成对或位置不对（累计数应整体写在[]内，如[>23.5]）")

    m = _TARGET_RE.fullmatch(s)
    if m is None:
        raise _refuse(text, "不是可识别的目标值写法（如 4.72、[>23.5]、5.5以内、65万人以上、30%左右、4-6）")

    prefix, symbol, suffix = m["prefix"], m["symbol"], m["suffix"]
    for found in (m["unit"], m["unit2"] or ""):
        if found and _WORDS_RE.search(found):
            raise _refuse(text, f"比较词重复或位置不对（“{found}”）")
        problem = _unit_problem(found, unit)
        if problem:
            raise _refuse(text, problem)

    if m["sign"] and not cumulative:
        raise _refuse(text, "负数或带正负号的目标只能用于[]内的累计变化，如[-13.5]")

    value = _to_decimal(m["num"], text)
    if m["sign"] == "-":
        value = -value if value else value

    if m["num2"] is not None:
        if symbol or suffix or (prefix and prefix in _STRONG_PREFIX):
            raise _refuse(text, "区间目标不能再带比较词或比较符号")
        upper = _to_decimal(m["num2"], text)
        if not value < upper:
            raise _refuse(text, "区间的下限应小于上限")
        return Target(
            text=text,
            comparator=Comparator.RANGE,
            value=value,
            upper=upper,
            cumulative=cumulative,
            aspirational=aspirational,
        )

    comparator = _resolve_comparator(text, prefix, symbol, suffix)
    return Target(
        text=text,
        comparator=comparator,
        value=value,
        cumulative=cumulative,
        approximate=comparator is Comparator.APPROX,
        aspirational=aspirational,
    )


def _resolve_comparator(
    text: str, prefix: str | None, symbol: str | None, suffix: str | None
) -> Comparator:
    """Combine the comparison a word before, a symbol and a word after the number state.

    At most one strong source (a strong word or a symbol) is allowed; a suffix may repeat it
    but not contradict it. Weak words (达到, 控制在) only apply when nothing else is said.
    """
    strong: list[tuple[str, Comparator]] = []
    if prefix and prefix in _STRONG_PREFIX:
        strong.append((prefix, _STRONG_PREFIX[prefix]))
    if symbol:
        strong.append((symbol, _SYMBOL[symbol]))
    if len(strong) > 1:
        raise _refuse(text, f"“{strong[0][0]}”与“{strong[1][0]}”重复")
    if suffix:
        after = _SUFFIX[suffix]
        if strong and strong[0][1] is not after:
            raise _refuse(text, f"“{strong[0][0]}”与“{suffix}”矛盾")
        return after
    if strong:
        return strong[0][1]
    if prefix:
        return _WEAK_PREFIX[prefix]
    return Comparator.EQ


def _qualitative(text: str, folded: str, aspirational: bool) -> Target:
    """A digit-free text is qualitative only if it says more than a comparison or a unit."""
    if re.search(r"[\[\]<>≥≤]", folded) or any(ch.isdigit() for ch in folded):
        raise _refuse(text, "不是可识别的目标值写法")
    if not _CJK_RE.search(folded):
        raise _refuse(text, "既不是数值目标，也不是中文定性描述")
    residue = _WORDS_RE.sub("", folded)
    if not residue or _UNIT_RE.fullmatch(residue):
        raise _refuse(text, "缺少数值")
    return Target(text=text, qualitative=True, aspirational=aspirational)


# --------------------------------------------------------------------------------------------
# Values

_VALUE_RE = _Lazy(rf"(?P<sign>[-+])?(?P<num>(?:{_NUM})\.?(?![0-9])|\.[0-9]+)(?P<unit>.*)")
"""A typed value: a number as in a target, and as a spreadsheet takes it also ``.5`` and ``5.``."""


def parse_value(text: str, unit: str = "") -> Decimal | None:
    """Parse an actual value typed or pasted by a user; empty text means "clear" (None).

    A cell holding only a dash (``-``, ``—``, ``－``, ``/``) is also None: tables print "no
    data" that way, and pasted tables and base values (``-`` in 邵阳 专栏2) must not fail.

    Accepts full-width digits, thousands separators in groups of three, a leading sign (the
    caller decides whether a negative value is allowed) and a trailing unit that repeats the
    indicator's unit or its magnitude prefix. Refuses letters, ``NaN``, ``∞``, ``--5`` and
    scientific notation (``1e5``). The result carries no exponent (``23.50`` stays ``23.50``).
    """
    s = _fold(text)
    if _NONE_RE.fullmatch(s):
        return None
    if _SCI_RE.search(s):
        raise NotationError(f"数值“{text}”不是数字：不支持科学计数法，请直接写出数字")
    m = _VALUE_RE.fullmatch(s)
    if m is None:
        raise NotationError(f"数值“{text}”不是数字")
    found = m["unit"]
    if found:
        if re.search(r"[0-9.,\-+]", found):
            raise NotationError(f"数值“{text}”不是数字")
        problem = _unit_problem(found, unit)
        if problem:
            raise NotationError(f"数值“{text}”的单位不对：{problem}")
    try:
        value = _to_decimal(m["num"], text)
    except InvalidOperation:  # pragma: no cover - _NUM only matches plain decimals
        raise NotationError(f"数值“{text}”不是数字") from None
    if m["sign"] == "-" and value != 0:
        value = -value
    return value


def format_decimal(d: Decimal) -> str:
    """Canonical decimal text: no exponent, no trailing zeros, ``-0`` → ``0``.

    The fingerprint and the store write values with this, so ``23.50`` and ``23.5`` or
    ``1E+2`` and ``100`` serialise identically.
    """
    if not d.is_finite():
        raise ValueError(f"非有限数值不能写出: {d!r}")
    if d == 0:
        return "0"
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --------------------------------------------------------------------------------------------
# Kind inference

_INVERSE_NAME_WORDS = ("失业率", "死亡率", "发生率", "欠薪")
_CHANGE_NAME_WORDS = ("降低", "下降", "提高", "减少")


def infer_kind(target: Target, name: str = "", unit: str = "") -> tuple[Kind, Direction]:
    """A sensible default kind and direction for a new indicator; the user can change both.

    The notation alone cannot tell a five-year sum from a change of a level (DESIGN §5), so
    brackets default to a sum unless the name speaks of a change (降低, 提高 …) or the value is
    negative. ``unit`` is accepted for future rules; it does not change the result today.
    """
    inverse = any(w in name for w in _INVERSE_NAME_WORDS)
    default_direction = Direction.LOWER if inverse else Direction.HIGHER
    lowering = target.comparator in (Comparator.LE, Comparator.LT)

    if target.qualitative:
        return Kind.QUALITATIVE, Direction.HIGHER
    if target.value is None:
        return Kind.LEVEL, default_direction
    if "年均增长" in name or "年均增速" in name:
        return Kind.GROWTH_RATE, Direction.LOWER if lowering else Direction.HIGHER
    if target.cumulative:
        negative = target.value < 0
        direction = Direction.LOWER if (lowering or negative) else Direction.HIGHER
        change = negative or (
            any(w in name for w in _CHANGE_NAME_WORDS) and "新增" not in name
        )
        return (Kind.CUMULATIVE_CHANGE if change else Kind.CUMULATIVE_SUM), direction
    if lowering:
        return Kind.CEILING, Direction.LOWER
    if target.comparator in (Comparator.APPROX, Comparator.RANGE):
        return Kind.BAND, default_direction
    return Kind.LEVEL, default_direction
