"""Target notation (DESIGN §4), value input and kind inference."""
from __future__ import annotations

import json
import re
import string
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.errors import NotationError
from desktop.domain.model import Comparator, Direction, Kind, Target
from desktop.domain.notation import (
    format_decimal,
    infer_kind,
    normalise_text,
    parse_target,
    parse_value,
)

D = Decimal
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "tables"


# --------------------------------------------------------------------------------------------
# parse_target: every notation of DESIGN §4


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("4.72", "", dict(comparator=Comparator.EQ, value=D("4.72"))),
        ("55", "", dict(comparator=Comparator.EQ, value=D("55"))),
        ("[>23.5]", "万人", dict(comparator=Comparator.GT, value=D("23.5"), cumulative=True)),
        ("[6]", "万人次", dict(comparator=Comparator.EQ, value=D("6"), cumulative=True)),
        (">81.3", "", dict(comparator=Comparator.GT, value=D("81.3"))),
        ("≥91", "%", dict(comparator=Comparator.GE, value=D("91"))),
        ("5.5以内", "%", dict(comparator=Comparator.LE, value=D("5.5"))),
        ("控制在5.5%以内", "%", dict(comparator=Comparator.LE, value=D("5.5"))),
        ("65万人以上", "万人", dict(comparator=Comparator.GE, value=D("65"))),
        ("65万以上", "万人", dict(comparator=Comparator.GE, value=D("65"))),
        ("1.1万人以上", "万人", dict(comparator=Comparator.GE, value=D("1.1"))),
        ("29以上", "%", dict(comparator=Comparator.GE, value=D("29"))),
        ("30%左右", "%", dict(comparator=Comparator.APPROX, value=D("30"), approximate=True)),
        ("8左右", "", dict(comparator=Comparator.APPROX, value=D("8"), approximate=True)),
        ("30名左右", "", dict(comparator=Comparator.APPROX, value=D("30"), approximate=True)),
        ("100个左右", "个", dict(comparator=Comparator.APPROX, value=D("100"), approximate=True)),
        ("超过10000人", "人", dict(comparator=Comparator.GT, value=D("10000"))),
        ("超过10,000人", "人", dict(comparator=Comparator.GT, value=D("10000"))),
        ("不低于70%", "%", dict(comparator=Comparator.GE, value=D("70"))),
        ("不超过5", "", dict(comparator=Comparator.LE, value=D("5"))),
        ("力争达到10%", "%", dict(comparator=Comparator.GE, value=D("10"), aspirational=True)),
        ("<5.5", "%", dict(comparator=Comparator.LT, value=D("5.5"))),
        ("≤4.5", "%", dict(comparator=Comparator.LE, value=D("4.5"))),
        (">=91", "", dict(comparator=Comparator.GE, value=D("91"))),
        ("<=4.5", "", dict(comparator=Comparator.LE, value=D("4.5"))),
        ("4-6", "", dict(comparator=Comparator.RANGE, value=D("4"), upper=D("6"))),
        ("5-10", "", dict(comparator=Comparator.RANGE, value=D("5"), upper=D("10"))),
        ("4-6家", "家", dict(comparator=Comparator.RANGE, value=D("4"), upper=D("6"))),
        ("4～6", "", dict(comparator=Comparator.RANGE, value=D("4"), upper=D("6"))),
        ("[-13.5]", "%", dict(comparator=Comparator.EQ, value=D("-13.5"), cumulative=True)),
        ("[+1]", "岁", dict(comparator=Comparator.EQ, value=D("1"), cumulative=True)),
        ("力争[>10]", "万人次", dict(comparator=Comparator.GT, value=D("10"), cumulative=True,
                                     aspirational=True)),
        # full-width forms, as the printed originals have them
        ("［＞２３．５］", "", dict(comparator=Comparator.GT, value=D("23.5"), cumulative=True)),
        ("＞81.34", "亿元", dict(comparator=Comparator.GT, value=D("81.34"))),
        ("３０％左右", "%", dict(comparator=Comparator.APPROX, value=D("30"), approximate=True)),
        ("＜＝4.5", "", dict(comparator=Comparator.LE, value=D("4.5"))),
        ("≧91", "", dict(comparator=Comparator.GE, value=D("91"))),
        (" 55 ", "", dict(comparator=Comparator.EQ, value=D("55"))),
        ("≥ 91", "", dict(comparator=Comparator.GE, value=D("91"))),
    ],
)
def test_parse_target_notations(text: str, unit: str, expected: dict[str, object]) -> None:
    assert parse_target(text, unit) == Target(text=text, **expected)  # type: ignore[arg-type]


def test_the_design_examples_as_whole_values() -> None:
    assert parse_target("[>23.5]") == Target(
        text="[>23.5]", comparator=Comparator.GT, value=D("23.5"), cumulative=True
    )
    assert parse_target("控制在5.5%以内", "%") == Target(
        text="控制在5.5%以内", comparator=Comparator.LE, value=D("5.5")
    )
    assert parse_target("4-6") == Target(
        text="4-6", comparator=Comparator.RANGE, value=D("4"), upper=D("6")
    )


@pytest.mark.parametrize("text", ["", " ", "—", "-", "－", "——", "–", "/"])
def test_absent_target(text: str) -> None:
    target = parse_target(text)
    assert target == Target(text=text)
    assert target.is_none and not target.is_numeric


@pytest.mark.parametrize(
    "text", ["基本覆盖", "法定人员全覆盖", "高于GDP增长", "与经济增长同步", "基本满足"]
)
def test_qualitative_target(text: str) -> None:
    target = parse_target(text, "%")
    assert target == Target(text=text, qualitative=True)
    assert not target.is_none and not target.is_numeric


def test_aspirational_qualitative_target() -> None:
    assert parse_target("力争全覆盖") == Target(
        text="力争全覆盖", qualitative=True, aspirational=True
    )


@pytest.mark.parametrize(
    ("text", "unit", "reason"),
    [
        ("abc", "", "中文定性描述"),
        ("23.5.1", "", "不是可识别"),
        (">>5", "", "不是可识别"),
        ("[>23.5", "", "方括号"),
        (">23.5]", "", "方括号"),
        ("[23.5]以上", "", "方括号"),
        ("5以内以上", "", "比较词"),
        ("1,2,3", "", "不是可识别"),
        ("1000,000", "", "不是可识别"),
        ("∞", "", "中文定性描述"),
        ("--5", "", "不是可识别"),
        ("-5", "", "[-13.5]"),
        ("5亿元", "万人", "单位“亿元”与指标单位“万人”不符"),
        ("65万人以上", "人", "单位“万人”与指标单位“人”不符"),
        ("30%左右", "万人", "单位“%”"),
        ("5abc", "", "不是可识别的单位"),
        ("不超过", "", "缺少数值"),
        ("以上", "", "缺少数值"),
        ("力争达到", "", "缺少数值"),
        ("万人以上", "万人", "缺少数值"),
        ("控制在%以内", "%", "缺少数值"),
        ("1e5", "", "科学计数法"),
        ("6-4", "", "下限应小于上限"),
        ("5-5", "", "下限应小于上限"),
        (">4-6", "", "区间"),
        (">5以上", "", "矛盾"),
        ("不超过5以上", "", "矛盾"),
        ("不低于≥5", "", "重复"),
        ("[基本覆盖]", "", "不是可识别"),
        ("①", "", "不是可识别"),
    ],
)
def test_refused_targets_quote_the_input(text: str, unit: str, reason: str) -> None:
    with pytest.raises(NotationError) as info:
        parse_target(text, unit)
    message = str(info.value)
    assert message.startswith(f"目标值“{text}”无法识别：")
    assert reason in message


def test_consistent_redundant_words_are_accepted() -> None:
    assert parse_target("不低于70%以上", "%") == Target(
        text="不低于70%以上", comparator=Comparator.GE, value=D("70")
    )
    assert parse_target("达到30%左右", "%") == Target(
        text="达到30%左右", comparator=Comparator.APPROX, value=D("30"), approximate=True
    )


# --------------------------------------------------------------------------------------------
# The seed tables: every target-like cell parses


def _unit_in_name(name: str) -> str:
    m = re.search(r"[(（]([^()（）]+)[)）]$", name)
    return m.group(1) if m else ""


def _load(name: str) -> dict[str, object]:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed tables not found at {SEEDS} (needs the shared checkout next to the repo)")
    return json.loads(path.read_text(encoding="utf-8"))


def _seed_cells() -> list[tuple[str, str, str]]:
    """(where, cell text, unit) for every target-like cell of the seed tables, ?? skipped."""
    out: list[tuple[str, str, str]] = []

    def rows(data: dict[str, object]) -> list[dict[str, object]]:
        return [r for r in data["table"]["rows"] if r.get("kind") == "data"]  # type: ignore[index]

    def add(where: str, cell: str | None, unit: str) -> None:
        if cell is not None and "??" not in cell:
            out.append((where, cell, unit))

    sy2 = _load("shaoyang_zl2_14th_main_indicators.json")
    cols = sy2["table"]["columns"]  # type: ignore[index]
    for r in rows(sy2):
        cells = r["cells"]
        add("邵阳专栏2 2025年", cells[cols.index("2025年")], _unit_in_name(cells[0]))

    sy1 = _load("shaoyang_zl1_13th_completion.json")
    cols = sy1["table"]["columns"]  # type: ignore[index]
    for r in rows(sy1):
        cells = r["cells"]
        for header in ("“十三五”规划数", "“十三五”完成数"):
            add(f"邵阳专栏1 {header}", cells[cols.index(header)], cells[cols.index("单位")])

    zj1 = _load("zhejiang_t1_13th_talent_completion.json")
    cols = zj1["table"]["columns"]  # type: ignore[index]
    for r in rows(zj1):
        cells = r["cells"]
        for header in ("规划目标 2020年", "2015年", "完成情况 2019年", "完成情况 2020年预计"):
            add(f"浙江表1 {header}", cells[cols.index(header)], _unit_in_name(cells[0]))

    zj2 = _load("zhejiang_t2_14th_talent_indicators.json")
    cols = zj2["table"]["columns"]  # type: ignore[index]
    for r in rows(zj2):
        cells = r["cells"]
        for header in ("2020年预计", "2025年目标"):
            add(f"浙江表2 {header}", cells[cols.index(header)], cells[cols.index("单位")])
    return out


def test_every_seed_table_target_cell_parses() -> None:
    cells = _seed_cells()
    assert len(cells) > 80
    for where, text, unit in cells:
        target = parse_target(text, unit)
        assert target.text == text, where
        assert target.is_numeric or target.is_none or target.qualitative, (where, text)


def test_seed_base_values_parse_as_values() -> None:
    data = _load("shaoyang_zl2_14th_main_indicators.json")
    cols = data["table"]["columns"]  # type: ignore[index]
    bases = [
        (r["cells"][cols.index("2020年")], _unit_in_name(r["cells"][0]))
        for r in data["table"]["rows"]  # type: ignore[index]
        if r.get("kind") == "data" and "??" not in r["cells"][cols.index("2020年")]
    ]
    parsed = [parse_value(text, unit) for text, unit in bases]
    assert parsed[:3] == [D("4.72"), D("5.4"), D("3.4")]
    assert None in parsed  # row 9 prints "-"


def test_seed_cells_parse_to_the_expected_values() -> None:
    _load("shaoyang_zl2_14th_main_indicators.json")
    assert parse_target("[>0.3]", "万人次") == Target(
        text="[>0.3]", comparator=Comparator.GT, value=D("0.3"), cumulative=True
    )
    assert parse_target(">81.34", "亿元") == Target(
        text=">81.34", comparator=Comparator.GT, value=D("81.34")
    )
    assert parse_target("6以上", "%") == Target(text="6以上", comparator=Comparator.GE, value=D("6"))
    assert parse_target("1361.1", "万人") == Target(
        text="1361.1", comparator=Comparator.EQ, value=D("1361.1")
    )


# Quantities of the 吉林 task boxes and body text, with the unit the indicator would carry.
JILIN_QUANTITIES = [
    ("200个", "个", Target("200个", Comparator.EQ, D("200"))),
    ("30名左右", "名", Target("30名左右", Comparator.APPROX, D("30"), approximate=True)),
    ("20名左右", "名", Target("20名左右", Comparator.APPROX, D("20"), approximate=True)),
    ("105万人次", "万人次", Target("105万人次", Comparator.EQ, D("105"))),
    ("8万人", "万人", Target("8万人", Comparator.EQ, D("8"))),
    ("10所", "所", Target("10所", Comparator.EQ, D("10"))),
    ("30个", "个", Target("30个", Comparator.EQ, D("30"))),
    ("50个", "个", Target("50个", Comparator.EQ, D("50"))),
    ("500名", "名", Target("500名", Comparator.EQ, D("500"))),
    ("65万人以上", "万人", Target("65万人以上", Comparator.GE, D("65"))),
    ("30%左右", "%", Target("30%左右", Comparator.APPROX, D("30"), approximate=True)),
    ("60%以上", "%", Target("60%以上", Comparator.GE, D("60"))),
    ("100个左右", "个", Target("100个左右", Comparator.APPROX, D("100"), approximate=True)),
    ("4-6家", "家", Target("4-6家", Comparator.RANGE, D("4"), upper=D("6"))),
    ("5-10家", "家", Target("5-10家", Comparator.RANGE, D("5"), upper=D("10"))),
    ("3-5个", "个", Target("3-5个", Comparator.RANGE, D("3"), upper=D("5"))),
    ("45家", "家", Target("45家", Comparator.EQ, D("45"))),
]


def test_jilin_task_quantities_parse_with_their_unit() -> None:
    data = _load("jilin_hr_dev_zl1-5_and_goals.json")
    corpus = json.dumps(data, ensure_ascii=False)
    for text, unit, expected in JILIN_QUANTITIES:
        assert text in corpus, text  # the quantity really occurs in the seed
        assert parse_target(text, unit) == expected
        assert parse_target(text) == expected  # unit not yet known: plausible units accepted


# --------------------------------------------------------------------------------------------
# parse_value / format_decimal / normalise_text


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("", "", None),
        ("   ", "万人", None),
        ("\u3000", "", None),
        ("-", "", None),
        ("—", "万人", None),
        ("－", "", None),
        ("23.5", "", D("23.5")),
        ("２３．５", "", D("23.5")),
        ("1,234", "", D("1234")),
        ("1,234.56", "", D("1234.56")),
        ("23.5万", "万人", D("23.5")),
        ("23.5万人", "万人", D("23.5")),
        ("95%", "%", D("95")),
        ("95％", "%", D("95")),
        ("-5", "", D("-5")),
        ("－5", "", D("-5")),
        ("-0", "", D("0")),
        (" 12 ", "", D("12")),
    ],
)
def test_parse_value(text: str, unit: str, expected: Decimal | None) -> None:
    value = parse_value(text, unit)
    assert value == expected
    if value is not None:
        assert "E" not in str(value)


def test_parse_value_keeps_the_digits_as_typed() -> None:
    assert str(parse_value("23.50")) == "23.50"


@pytest.mark.parametrize(
    ("text", "unit", "reason"),
    [
        ("abc", "", ""),
        ("--5", "", ""),
        ("∞", "", ""),
        ("NaN", "", ""),
        ("inf", "", ""),
        ("1e5", "", "科学计数法"),
        ("2E+1", "", "科学计数法"),
        ("23.5亿", "万人", "单位“亿”与指标单位“万人”不符"),
        ("23.5%", "万人", "不符"),
        ("1,2,3", "", ""),
        ("12,34", "", ""),
        ("5-3", "", ""),
        ("23.5.1", "", ""),
    ],
)
def test_refused_values_quote_the_input(text: str, unit: str, reason: str) -> None:
    with pytest.raises(NotationError) as info:
        parse_value(text, unit)
    said = "的单位不对" if "不符" in reason else "不是数字"  # a good number with a wrong unit is not "not a number"
    assert str(info.value).startswith(f"数值“{text}”{said}")
    assert reason in str(info.value)


@pytest.mark.parametrize(("text", "value"), [(".5", "0.5"), ("5.", "5"), ("-.5", "-0.5"), ("1,234.", "1234"), ("０．５", "0.5")])
def test_a_value_typed_as_a_spreadsheet_takes_it(text: str, value: str) -> None:
    assert parse_value(text) == Decimal(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("23.50"), "23.5"),
        (D("100"), "100"),
        (D("1E+2"), "100"),
        (D("-0"), "0"),
        (D("0.000"), "0"),
        (D("-1.10"), "-1.1"),
        (D("1E-7"), "0.0000001"),
        (D("4.72"), "4.72"),
    ],
)
def test_format_decimal(value: Decimal, text: str) -> None:
    assert format_decimal(value) == text


def test_format_decimal_refuses_non_finite() -> None:
    with pytest.raises(ValueError):
        format_decimal(D("NaN"))


def test_normalise_text_folds_full_width() -> None:
    assert normalise_text("［＞２３．５］") == "[>23.5]"
    assert normalise_text("\u3000３０％（万人）\u3000") == "30%(万人)"
    assert normalise_text("≧—①") == "≥—①"  # no ASCII form: kept; ① is not a digit


# --------------------------------------------------------------------------------------------
# infer_kind


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("[>23.5]", "城镇新增就业人数", (Kind.CUMULATIVE_SUM, Direction.HIGHER)),
        ("[13.5]", "单位GDP能耗降低", (Kind.CUMULATIVE_CHANGE, Direction.HIGHER)),
        ("[-13.5]", "单位GDP能耗", (Kind.CUMULATIVE_CHANGE, Direction.LOWER)),
        ("5.5以内", "城镇调查失业率", (Kind.CEILING, Direction.LOWER)),
        ("<4.5", "城镇登记失业率", (Kind.CEILING, Direction.LOWER)),
        ("不超过5", "", (Kind.CEILING, Direction.LOWER)),
        ("30%左右", "高技能人才占技能劳动者的比例", (Kind.BAND, Direction.HIGHER)),
        ("4-6", "省级人力资源服务产业园", (Kind.BAND, Direction.HIGHER)),
        ("基本覆盖", "城镇基本养老保险参保人数", (Kind.QUALITATIVE, Direction.HIGHER)),
        ("—", "三大科创高地高层次人才比例", (Kind.LEVEL, Direction.HIGHER)),
        ("6以上", "全员劳动生产率年均增长", (Kind.GROWTH_RATE, Direction.HIGHER)),
        ("≥91", "基本养老保险参保率", (Kind.LEVEL, Direction.HIGHER)),
        ("34", "失业保险参保人数", (Kind.LEVEL, Direction.HIGHER)),
        ("4.5", "城镇登记失业率", (Kind.LEVEL, Direction.LOWER)),
    ],
)
def test_infer_kind(text: str, name: str, expected: tuple[Kind, Direction]) -> None:
    assert infer_kind(parse_target(text), name) == expected


# --------------------------------------------------------------------------------------------
# Properties

_FULL = {c: chr(ord(c) + 0xFEE0) for c in string.digits + ".,%[]<>=~"}


def _full_width(s: str) -> str:
    return "".join(_FULL.get(c, c) for c in s)


def _render_number(value: Decimal, grouped: bool) -> str:
    text = format(value, "f")
    if grouped:
        whole, _, frac = text.partition(".")
        whole = f"{int(whole):,}"
        text = whole + ("." + frac if frac else "")
    return text


_FORMS: list[tuple[str, str, Comparator]] = [
    ("", "", Comparator.EQ),
    (">", "", Comparator.GT),
    ("≥", "", Comparator.GE),
    (">=", "", Comparator.GE),
    ("<", "", Comparator.LT),
    ("≤", "", Comparator.LE),
    ("<=", "", Comparator.LE),
    ("不低于", "", Comparator.GE),
    ("超过", "", Comparator.GT),
    ("不超过", "", Comparator.LE),
    ("达到", "", Comparator.GE),
    ("", "以上", Comparator.GE),
    ("", "以内", Comparator.LE),
    ("", "左右", Comparator.APPROX),
    ("控制在", "以内", Comparator.LE),
    ("达到", "左右", Comparator.APPROX),
]
_UNITS: list[tuple[str, tuple[str, ...]]] = [
    ("万人", ("", "万人", "万")),
    ("%", ("", "%")),
    ("人", ("", "人")),
    ("个", ("", "个")),
    ("", ("", "万人", "%", "个", "人次")),
]


@st.composite
def well_formed_targets(draw: st.DrawFn) -> tuple[str, str, Target]:
    value = draw(
        st.decimals(min_value=0, max_value=10**7, places=draw(st.integers(0, 3)),
                    allow_nan=False, allow_infinity=False)
    )
    grouped = value >= 1000 and draw(st.booleans())
    prefix, suffix, comparator = draw(st.sampled_from(_FORMS))
    unit, suffixes = draw(st.sampled_from(_UNITS))
    unit_suffix = draw(st.sampled_from(suffixes))
    bracket = draw(st.booleans())
    aspirational = draw(st.booleans())
    body = f"{prefix}{_render_number(value, grouped)}{unit_suffix}{suffix}"
    if bracket:
        body = f"[{body}]"
    if aspirational:
        body = "力争" + body
    if draw(st.booleans()):
        body = _full_width(body)
    if draw(st.booleans()):
        body = draw(st.sampled_from([" ", "\u3000"])) + body + " "
    expected = Target(
        text=body,
        comparator=comparator,
        value=value,
        cumulative=bracket,
        approximate=comparator is Comparator.APPROX,
        aspirational=aspirational,
    )
    return body, unit, expected


@settings(max_examples=200, deadline=None)
@given(well_formed_targets())
def test_round_trip_of_well_formed_targets(case: tuple[str, str, Target]) -> None:
    text, unit, expected = case
    target = parse_target(text, unit)
    assert target.text == text
    assert target.value == expected.value
    assert target == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 10**6), st.booleans())
def test_round_trip_of_ranges(low: int, width: int, bracket: bool) -> None:
    text = f"{low}-{low + width}"
    if bracket:
        text = f"[{text}]"
    assert parse_target(text) == Target(
        text=text, comparator=Comparator.RANGE, value=D(low), upper=D(low + width),
        cumulative=bracket,
    )


_JUNK = st.text(
    alphabet=st.sampled_from(
        list("0123456789.,-+[]<>≥≤=%~ eE万人以上内左右不超过低于达到力争控制在基本覆盖abcxyz∞—－／①")
        + ["１", "．", "［", "＞", "\u3000"]
    ),
    max_size=14,
)


def _accepts_or_refuses_with_quote(text: str) -> None:
    for unit in ("", "万人", "%"):
        try:
            target = parse_target(text, unit)
        except NotationError as err:
            assert text in str(err)
        else:
            assert target.text == text
            assert target.value is not None or target.qualitative or target.is_none
        try:
            value = parse_value(text, unit)
        except NotationError as err:
            assert text in str(err)
        else:
            assert value is None or value.is_finite()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters, max_size=12))
def test_ascii_letters_never_crash(text: str) -> None:
    _accepts_or_refuses_with_quote(text)


@settings(max_examples=200, deadline=None)
@given(_JUNK)
def test_junk_parses_or_is_refused_with_the_input_quoted(text: str) -> None:
    _accepts_or_refuses_with_quote(text)


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=4,
                   min_value=-10**9, max_value=10**9))
def test_format_then_parse_value_round_trips(value: Decimal) -> None:
    text = format_decimal(value)
    assert "E" not in text and "e" not in text
    parsed = parse_value(text)
    assert parsed == value
    assert format_decimal(parsed) == text  # type: ignore[arg-type]


@pytest.mark.parametrize("text, reason", [
    ("1000000000000000", "整数部分最多 15 位"),
    ("-1,000,000,000,000,000", "整数部分最多 15 位"),
    ("0.0000000000000000001", "小数位数太多：最多 18 位"),
    ("12345678901.1234567891", "有效数字太多：最多 20 位"),
])
def test_values_outside_the_limits_are_refused(text: str, reason: str) -> None:
    with pytest.raises(NotationError, match=reason):
        parse_value(text)


def test_values_at_the_limits_are_kept_exactly() -> None:
    assert parse_value("999,999,999,999,999") == Decimal("999999999999999")
    assert parse_value("0.000000000000000001") == Decimal("1E-18")
    assert parse_value("0.30000000000000004") == Decimal("0.30000000000000004")  # a float from a workbook
    assert parse_value("1234567890.1234567891") == Decimal("1234567890.1234567891")


def test_targets_share_the_limits() -> None:
    with pytest.raises(NotationError, match="整数部分最多 15 位"):
        parse_target("[>10000000000000000]")
    with pytest.raises(NotationError, match="小数位数太多"):
        parse_target("0." + "0" * 40 + "1以内")
    assert parse_target("4-6").upper == Decimal(6)
