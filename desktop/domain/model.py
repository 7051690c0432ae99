"""The plan as the bureau thinks of it: plan, box, section, indicator, target, actual.

Immutable records (frozen dataclasses) with `Decimal` values. Nothing here does I/O or knows
about SQLite or Qt; the store turns rows into these records and back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import NewType

IndicatorCode = NewType("IndicatorCode", str)
"""Stable code of an indicator (template id + row key, e.g. ``sy-zl2-01``)."""


class Attribute(str, Enum):
    """属性: binding indicators are never allowed to look fine when off."""

    EXPECTED = "预期性"
    BINDING = "约束性"


class Kind(str, Enum):
    """How an indicator's progress is computed (DESIGN §5)."""

    LEVEL = "level"  # 水平值: a stock or rate at the end of the period
    CUMULATIVE_SUM = "cumulative_sum"  # [..] five-year sum of a yearly flow
    CUMULATIVE_CHANGE = "cumulative_change"  # [..] change of a level over the period
    CEILING = "ceiling"  # 以内 / 不超过: met while at or under the target
    BAND = "band"  # 左右: met while inside target ± tolerance
    GROWTH_RATE = "growth_rate"  # 年均增长: compound rate against the target rate
    QUALITATIVE = "qualitative"  # 基本覆盖 …: status set by hand

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[Kind, str] = {
    Kind.LEVEL: "水平值",
    Kind.CUMULATIVE_SUM: "累计值",
    Kind.CUMULATIVE_CHANGE: "累计变化",
    Kind.CEILING: "控制值",
    Kind.BAND: "区间值",
    Kind.GROWTH_RATE: "年均增速",
    Kind.QUALITATIVE: "定性",
}


class Direction(str, Enum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # 逆向指标: lower is better

    @property
    def label(self) -> str:
        return "正向" if self is Direction.HIGHER else "逆向"


class Nature(str, Enum):
    """Data nature of a value: 快报 (quick), 年报 (final annual), 预计 (estimate)."""

    QUICK = "快报"
    ANNUAL = "年报"
    ESTIMATE = "预计"


class Rule(str, Enum):
    """汇总规则: how subordinate regions' values combine."""

    SUM = "sum"
    RATIO = "ratio"  # Σ numerator / Σ denominator; rates are never averaged
    NOT_SUMMABLE = "not_summable"  # e.g. 城镇调查失业率, provided from above
    MIN = "min"
    MAX = "max"
    WEIGHTED_MEAN = "weighted_mean"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS: dict[Rule, str] = {
    Rule.SUM: "求和",
    Rule.RATIO: "比率(分子合计/分母合计)",
    Rule.NOT_SUMMABLE: "不可汇总",
    Rule.MIN: "取最小",
    Rule.MAX: "取最大",
    Rule.WEIGHTED_MEAN: "加权平均",
}


class Comparator(str, Enum):
    """The comparison a target text states."""

    GT = ">"
    GE = "≥"
    LT = "<"
    LE = "≤"
    EQ = "="  # a plain number: reach this value
    APPROX = "≈"  # 左右
    RANGE = "~"  # an interval such as 4-6


@dataclass(frozen=True)
class Target:
    """A parsed 目标值. ``text`` is kept exactly as written and is what reports print.

    ``value`` is None for a target with no number (``—``, qualitative text).
    ``upper`` is the upper end of an interval (``4-6``). ``aspirational`` marks 力争.
    """

    text: str
    comparator: Comparator | None = None
    value: Decimal | None = None
    upper: Decimal | None = None
    cumulative: bool = False
    approximate: bool = False
    aspirational: bool = False
    qualitative: bool = False

    @property
    def is_none(self) -> bool:
        """True for an absent target (``—``, ``-`` or empty)."""
        return self.value is None and not self.qualitative

    @property
    def is_numeric(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Column:
    """One printed column of a box. ``role`` says what the column shows.

    Roles: ``seq`` 序号, ``category`` 一级指标/类别 (merged), ``name`` 指标, ``unit`` 单位,
    ``base`` 基期值, ``target`` 目标值, ``attribute`` 属性, ``planned`` 规划数 (= target of a
    finished plan), ``achieved`` 完成数 (= the end-year actual), ``extra`` another printed cell
    kept in ``Indicator.extra`` under the column's ``key``.
    """

    key: str
    header: str
    role: str


@dataclass(frozen=True)
class Section:
    """A heading row inside a box (一、就业) or a merged 一级指标 group."""

    key: str
    box: str
    title: str


@dataclass(frozen=True)
class TaskItem:
    """A numbered item of a task box, as printed ("1.围绕…培育和建设200个产教融合型企业。")."""

    number: int
    text: str


@dataclass(frozen=True)
class Box:
    """A 专栏 / 表. ``layout`` says how names are printed.

    ``name_style``: ``numbered`` prints "1.城镇新增就业人数(万人)" in one cell (邵阳);
    ``plain`` prints the bare name (浙江, with its own 序号 and 单位 columns).
    ``section_style``: ``rows`` (一、就业 heading rows) or ``merged`` (a merged 一级指标 column).
    """

    label: str
    title: str
    kind: str = "indicators"  # or "tasks"
    columns: tuple[Column, ...] = ()
    footnotes: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    items: tuple[TaskItem, ...] = ()
    name_style: str = "numbered"
    section_style: str = "rows"
    unit_in_name: bool = True

    @property
    def is_task_box(self) -> bool:
        return self.kind == "tasks"

    @property
    def caption(self) -> str:
        """Label and title as printed: "专栏2　“十四五”规划发展主要指标"."""
        return f"{self.label}\u3000{self.title}" if self.title else self.label


NUMERATOR_KEY = "@numerator"
DENOMINATOR_KEY = "@denominator"
"""Reserved keys in ``Indicator.extra`` (like the templates' ``@sample``): the indicators whose
sums make a 比率 indicator's consolidated value. Kept out of the printed cells."""


@dataclass(frozen=True)
class Indicator:
    """A row of a box. ``name`` is stored without the printed seq number and unit.

    ``base`` is the base-year value (None when printed as "-"/"—"); ``base_text`` is the
    cell as printed. ``parent`` is the code of the row a 其中 row belongs to. ``task_item``
    is the number of the task-box item an indicator quantifies. ``tolerance`` is the band
    half-width as a fraction of the target (None = the setting's default).
    """

    code: IndicatorCode
    box: str
    name: str
    unit: str
    target: Target
    seq: str = ""
    section: str | None = None
    base: Decimal | None = None
    base_text: str = ""
    base_label: str = ""  # e.g. "2020年预计": the base is an estimate that may be revised
    attribute: Attribute = Attribute.EXPECTED
    kind: Kind = Kind.LEVEL
    direction: Direction = Direction.HIGHER
    parent: IndicatorCode | None = None
    rule: Rule = Rule.SUM
    responsible: str = ""  # 责任单位
    tolerance: Decimal | None = None
    task_item: int | None = None
    note: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # other printed cells by column key

    @property
    def is_sub_item(self) -> bool:
        """A 其中 row, printed indented under its parent."""
        return self.parent is not None

    def extra_cell(self, key: str) -> str:
        return dict(self.extra).get(key, "")

    @property
    def ratio_parts(self) -> tuple[IndicatorCode, IndicatorCode] | None:
        """For a 比率 rule: the codes of the numerator and denominator indicators whose summed
        values give the region's ratio (Σ分子 / Σ分母); None until both are set."""
        extra = dict(self.extra)
        num, den = extra.get(NUMERATOR_KEY, ""), extra.get(DENOMINATOR_KEY, "")
        return (IndicatorCode(num), IndicatorCode(den)) if num and den else None


@dataclass(frozen=True)
class Actual:
    """The value of one indicator for one year, with where it came from.

    ``value`` is None only for a qualitative indicator whose ``status`` was set by hand.
    """

    code: IndicatorCode
    year: int
    value: Decimal | None
    nature: Nature = Nature.ANNUAL
    source: str = ""
    note: str = ""
    status: str = ""  # hand-set status for qualitative indicators (达标 / 未达标 / 基本符合 …)
    updated_by: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Plan:
    """One five-year plan of one region. Indicators are in printed order."""

    title: str
    region_code: str
    region_name: str
    start_year: int = 2021
    end_year: int = 2025
    base_year: int = 2020
    wenhao: str = ""  # 文号, e.g. 邵市政办发〔2021〕33号
    issuer: str = ""
    template_id: str = ""
    catalogue_version: str = ""
    sample_note: str = ""  # e.g. 含示例值（据公开文本复原）
    boxes: tuple[Box, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    properties: tuple[tuple[str, str], ...] = field(default=())  # 填报单位, 负责人 …

    @property
    def years(self) -> range:
        """The plan's report years, start to end inclusive."""
        return range(self.start_year, self.end_year + 1)

    def box(self, label: str) -> Box | None:
        return next((b for b in self.boxes if b.label == label), None)

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def indicators_of(self, box_label: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.box == box_label)

    def property(self, key: str) -> str:
        return dict(self.properties).get(key, "")
