"""Region codes (GB/T 2260): validation, level, parent, ancestry."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.errors import RegionError
from desktop.domain.region import (
    PROVINCES,
    Region,
    is_under,
    parent_code,
    parse_region_code,
    region_level,
)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("430500", "430500"),
        (" 430522 ", "430522"),
        ("４３０５２２", "430522"),
        ("\u3000110105\u3000", "110105"),
        ("429004", "429004"),
    ],
)
def test_parse_region_code(raw: str, code: str) -> None:
    assert parse_region_code(raw) == code


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("4305", "行政区划代码“4305”应为6位数字"),
        ("", "行政区划代码“”应为6位数字"),
        ("4305220", "行政区划代码“4305220”应为6位数字"),
        ("43052a", "行政区划代码“43052a”应为6位数字"),
        ("430 522", "行政区划代码“430 522”应为6位数字"),
        ("４３０５", "行政区划代码“４３０５”应为6位数字"),
        ("٤٣٠٥٢٢", "行政区划代码“٤٣٠٥٢٢”应为6位数字"),  # Arabic-Indic digits are not ours
        ("990101", "行政区划代码“990101”的省级前缀“99”不存在"),
        ("100000", "行政区划代码“100000”的省级前缀“10”不存在"),
        ("660000", "行政区划代码“660000”的省级前缀“66”不存在"),
    ],
)
def test_refused_region_codes(raw: str, message: str) -> None:
    with pytest.raises(RegionError) as info:
        parse_region_code(raw)
    assert str(info.value) == message


def test_provinces_are_the_gbt_2260_list() -> None:
    assert sorted(PROVINCES) == sorted(
        "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
        "61 62 63 64 65 71 81 82".split()
    )
    assert PROVINCES["43"] == "湖南省"
    assert PROVINCES["22"] == "吉林省"
    assert PROVINCES["33"] == "浙江省"


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("430000", "province"),
        ("430500", "city"),
        ("430522", "county"),
        ("429004", "county"),
        ("110000", "province"),
        ("110100", "city"),
        ("110105", "county"),
    ],
)
def test_region_level(code: str, level: str) -> None:
    assert region_level(code) == level


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("430522", "430500"),  # 新邵县 → 邵阳市
        ("430500", "430000"),  # 邵阳市 → 湖南省
        ("430000", None),
        ("429004", "420000"),  # 仙桃市, 省直管
        ("469001", "460000"),  # 五指山市, 省直管
        ("110105", "110000"),  # 朝阳区 → 北京市 (1101 市辖区 skipped)
        ("110100", "110000"),
        ("500229", "500000"),  # 城口县 → 重庆市 (5002 县 skipped)
        ("310115", "310000"),
        ("120101", "120000"),
        ("  ４３０５２２", "430500"),
    ],
)
def test_parent_code(code: str, parent: str | None) -> None:
    assert parent_code(code) == parent


def test_is_under() -> None:
    assert is_under("430522", "430500")
    assert is_under("430522", "430000")
    assert is_under("430500", "430000")
    assert is_under("429004", "420000")
    assert is_under("110105", "110000")
    assert not is_under("110105", "110100")  # placeholder is not a level
    assert not is_under("430522", "430522")  # strict
    assert not is_under("430000", "430500")
    assert not is_under("430522", "440000")
    assert not is_under("430522", "430600")
    with pytest.raises(RegionError):
        is_under("430522", "4305")


def test_region_record() -> None:
    region = Region.of(" ４３０５２２ ", " 新邵县 ")
    assert region == Region(code="430522", name="新邵县", level="county")
    assert region.parent == "430500"
    assert region.province_name == "湖南省"
    with pytest.raises(dataclasses.FrozenInstanceError):
        region.name = "x"  # type: ignore[misc]
    with pytest.raises(RegionError):
        Region(code="4305", name="x", level="city")
    with pytest.raises(RegionError):
        Region(code="430500", name="邵阳市", level="town")  # type: ignore[arg-type]
    with pytest.raises(RegionError):
        Region(code=" 430500", name="邵阳市", level="city")  # not canonical


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(PROVINCES)), st.integers(0, 99), st.integers(0, 99))
def test_every_valid_code_has_a_chain_to_its_province(prov: str, city: int, county: int) -> None:
    code = f"{prov}{city:02d}{county:02d}"
    assert parse_region_code(code) == code
    chain = [code]
    while (p := parent_code(chain[-1])) is not None:
        chain.append(p)
        assert len(chain) <= 3
    assert chain[-1] == f"{prov}0000"
    assert all(is_under(code, ancestor) for ancestor in chain[1:])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=8))
def test_any_text_is_a_code_or_refused_with_a_quote(text: str) -> None:
    try:
        code = parse_region_code(text)
    except RegionError as err:
        assert f"“{text}”" in str(err)
    else:
        assert len(code) == 6 and code.isascii() and code.isdigit()
