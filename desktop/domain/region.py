"""行政区划代码 (GB/T 2260): validation, level and hierarchy of 6-digit region codes.

Submissions are matched to regions by code, and consolidation walks county → city → province,
so a code must be checked before it is stored and its parent derived the same way everywhere.
Only the structure of a code is checked here (6 digits, a real province prefix); whether a
particular county code exists is a question for the catalogue of regions, which changes when
divisions change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .errors import RegionError

__all__ = [
    "PROVINCES",
    "MUNICIPALITIES",
    "Region",
    "RegionLevel",
    "parse_region_code",
    "region_level",
    "parent_code",
    "is_under",
]

RegionLevel = Literal["province", "city", "county"]

PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}
"""Province-level prefixes of GB/T 2260 and their names."""

MUNICIPALITIES: frozenset[str] = frozenset({"11", "12", "31", "50"})
"""直辖市: their xx01/xx02 "市辖区/县" codes are placeholders, not a level of government."""

_LEVELS: tuple[str, ...] = ("province", "city", "county")
_DIGITS6 = re.compile(r"[0-9]{6}")


def _fold_digits(s: str) -> str:
    """Full-width digits (０–９) to ASCII, so a code typed with a Chinese IME still reads."""
    return "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in s)


def parse_region_code(code: str) -> str:
    """The canonical 6-digit code of ``code``, or :class:`RegionError` quoting the input.

    Surrounding whitespace (including the ideographic space) is stripped and full-width digits
    are accepted; anything else must be exactly six ASCII digits with a real province prefix.
    """
    s = _fold_digits(str(code).replace("\u3000", " ").strip())
    if not _DIGITS6.fullmatch(s):
        raise RegionError(f"行政区划代码“{code}”应为6位数字")
    if s[:2] not in PROVINCES:
        raise RegionError(f"行政区划代码“{code}”的省级前缀“{s[:2]}”不存在")
    return s


def region_level(code: str) -> RegionLevel:
    """province (xx0000), city (xxyy00) or county (anything else, incl. 省直管 xx90yy)."""
    c = parse_region_code(code)
    if c[2:] == "0000":
        return "province"
    if c[4:] == "00":
        return "city"
    return "county"


def parent_code(code: str) -> str | None:
    """The code of the region directly above ``code``; None for a province.

    County-level units directly under a province (``xx90yy``, e.g. 429004 仙桃市) and every
    region of a 直辖市 (the 110100 "市辖区" placeholder included) belong to the province.
    """
    c = parse_region_code(code)
    province = c[:2] + "0000"
    level = region_level(c)
    if level == "province":
        return None
    if level == "city":
        return province
    if c[:2] in MUNICIPALITIES or c[2:4] == "90":
        return province
    return c[:4] + "00"


def is_under(code: str, ancestor: str) -> bool:
    """True when ``ancestor`` is a strict ancestor of ``code`` along :func:`parent_code`.

    A region is not under itself. Because 直辖市 placeholders are skipped, 110105 is under
    110000 but not under 110100.
    """
    target = parse_region_code(ancestor)
    current = parent_code(code)
    while current is not None:
        if current == target:
            return True
        current = parent_code(current)
    return False


@dataclass(frozen=True)
class Region:
    """A region as submissions name it: canonical code, Chinese name and level."""

    code: str
    name: str
    level: RegionLevel

    def __post_init__(self) -> None:
        canonical = parse_region_code(self.code)
        if canonical != self.code:
            raise RegionError(f"行政区划代码“{self.code}”应写作“{canonical}”")
        if self.level not in _LEVELS:
            raise RegionError(f"行政区划级别“{self.level}”无效，应为 province/city/county")

    @classmethod
    def of(cls, code: str, name: str) -> Region:
        """Build a region from user input: the code is parsed and the level derived from it."""
        canonical = parse_region_code(code)
        return cls(code=canonical, name=name.strip(), level=region_level(canonical))

    @property
    def parent(self) -> str | None:
        return parent_code(self.code)

    @property
    def province_name(self) -> str:
        return PROVINCES[self.code[:2]]
