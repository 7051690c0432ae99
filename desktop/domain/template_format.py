"""Plan templates (``resources/templates/*.json``) to domain plans and back.

Pure: takes and returns plain ``dict`` data (already parsed JSON), never reads a file. The
format ``planledger-template/1`` is documented in ``docs/templates.md``.

``plan_from_template`` never raises on bad template data: every finding is returned as a
Chinese ``Problem`` naming the template, the box, the row and the field. A row whose name,
code or target is unusable is left out of the plan; other findings keep the row with a default.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import NotationError, Problem, Severity
from .model import (
    Actual,
    Attribute,
    Box,
    Column,
    Direction,
    Indicator,
    IndicatorCode,
    Kind,
    Nature,
    Plan,
    Rule,
    Section,
    TaskItem,
)

FORMAT = "planledger-template/1"
"""The format tag every template carries in its ``format`` field."""

SAMPLE_KEY = "@sample"
"""Reserved key in ``Indicator.extra``: which cells of the row hold sample values.

The value is a comma-separated list of fields (``base``, ``target``, ``achieved`` or a column
key of an ``extra`` column), or ``*`` for the whole row. The model has no sample flag of its
own, so the template's ``sample`` / ``sample_fields`` travel in ``extra`` under this key.
"""

BOX_KINDS = ("indicators", "tasks")
NAME_STYLES = ("numbered", "plain")
SECTION_STYLES = ("rows", "merged")
COLUMN_ROLES = (
    "seq", "category", "name", "unit", "base", "target", "attribute", "planned", "achieved",
    "extra",
)
ROW_FIELDS = frozenset({
    "key", "code", "seq", "name", "unit", "section", "base", "base_label", "target",
    "attribute", "kind", "direction", "rule", "responsible", "parent", "task_item", "tolerance",
    "note", "sample", "sample_fields", "extra",
})


# ---------------------------------------------------------------- listing info


@dataclass(frozen=True)
class TemplateInfo:
    """What a template list shows before a workspace is created from it."""

    name: str  # template id, e.g. "sy-zl2"
    title: str
    description: str
    region_code: str
    region_name: str
    start_year: int | None
    end_year: int | None
    boxes: tuple[str, ...]  # box labels: ("专栏2",)
    indicator_count: int
    has_sample: bool  # contains reconstructed / sample values (示例值)
    sample_note: str
    order: int

    @property
    def region(self) -> str:
        """"邵阳市（430500）"."""
        if self.region_name and self.region_code:
            return f"{self.region_name}（{self.region_code}）"
        return self.region_name or self.region_code

    @property
    def period(self) -> str:
        """"2021—2025年"."""
        if self.start_year and self.end_year:
            return f"{self.start_year}—{self.end_year}年"
        return ""

    @property
    def sample(self) -> bool:
        """Alias of ``has_sample``."""
        return self.has_sample

    def as_dict(self) -> dict[str, object]:
        """Plain JSON data (``planledger templates --json``)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "region_code": self.region_code,
            "region_name": self.region_name,
            "region": self.region,
            "start_year": self.start_year,
            "end_year": self.end_year,
            "period": self.period,
            "boxes": list(self.boxes),
            "indicator_count": self.indicator_count,
            "sample": self.has_sample,
            "sample_note": self.sample_note,
            "order": self.order,
        }


def template_info(data: dict) -> TemplateInfo:
    """Listing information of a template; tolerant of broken data (never raises)."""
    data = data if isinstance(data, dict) else {}
    plan = data.get("plan") if isinstance(data.get("plan"), dict) else {}
    boxes = [b for b in _list(data.get("boxes")) if isinstance(b, dict)]
    rows = [r for b in boxes for r in _list(b.get("rows")) if isinstance(r, dict)]
    sample_note = _str(data.get("sample_note"))
    return TemplateInfo(
        name=_str(data.get("id")),
        title=_str(data.get("title")) or _str(plan.get("title")),
        description=_str(data.get("description")),
        region_code=_str(plan.get("region_code")),
        region_name=_str(plan.get("region_name")),
        start_year=_int_or_none(plan.get("start_year")),
        end_year=_int_or_none(plan.get("end_year")),
        boxes=tuple(_str(b.get("label")) for b in boxes),
        indicator_count=len(rows),
        has_sample=bool(sample_note) or any(r.get("sample") for r in rows),
        sample_note=sample_note,
        order=_int_or_none(data.get("order")) or 0,
    )


# ---------------------------------------------------------------- template -> plan


class _Collector:
    def __init__(self, template_id: str):
        self.tid = template_id or "（未命名）"
        self.problems: list[Problem] = []

    def error(self, where: str, message: str, *, code: str | None = None, field: str = "",
              year: int | None = None) -> None:
        self.problems.append(Problem(
            Severity.ERROR, f"模板“{self.tid}”{where}：{message}", code=code, year=year,
            field=field))

    def warning(self, where: str, message: str, *, code: str | None = None,
                field: str = "") -> None:
        self.problems.append(Problem(
            Severity.WARNING, f"模板“{self.tid}”{where}：{message}", code=code, field=field))


def plan_from_template(
    data: dict,
    *,
    region_code: str | None = None,
    region_name: str | None = None,
) -> tuple[Plan, list[Actual], list[Problem]]:
    """Build the domain plan, its template actuals and every problem found.

    ``region_code`` / ``region_name`` replace the template's region (a county making its
    workspace from ``county-hrss``); the template's region name inside the plan title is
    replaced too. Indicator codes never depend on the region.
    """
    from .notation import parse_target, parse_value  # lazily: notation is a sibling module

    if not isinstance(data, dict):
        c = _Collector("")
        c.error("", "模板内容不是 JSON 对象", field="format")
        return Plan(title="", region_code=region_code or "", region_name=region_name or ""), [], c.problems

    tid = _str(data.get("id")).strip()
    c = _Collector(tid)
    if not tid:
        c.error("", "缺少模板标识（id）", field="id")
    fmt = data.get("format")
    if fmt != FORMAT:
        c.error("", f"格式标记为“{_str(fmt)}”，应为“{FORMAT}”", field="format")

    # -- plan
    p = data.get("plan")
    if not isinstance(p, dict):
        c.error("", "缺少规划信息（plan）", field="plan")
        p = {}
    title = _str(p.get("title")).strip()
    if not title:
        c.error("规划信息", "缺少规划名称（title）", field="title")
    tpl_region_name = _str(p.get("region_name")).strip()
    tpl_region_code = _str(p.get("region_code")).strip()
    if not tpl_region_code:
        c.error("规划信息", "缺少行政区划代码（region_code）", field="region_code")
    elif not (len(tpl_region_code) == 6 and tpl_region_code.isdigit()):
        c.error("规划信息", f"行政区划代码“{tpl_region_code}”不是6位数字", field="region_code")
    if not tpl_region_name:
        c.error("规划信息", "缺少地区名称（region_name）", field="region_name")
    years: dict[str, int] = {}
    for key, label, default in (("start_year", "起始年", 2021), ("end_year", "终止年", 2025),
                                ("base_year", "基期年", 2020)):
        value = _int_or_none(p.get(key))
        if value is None or not 1949 <= value <= 2100:
            c.error("规划信息", f"{label}（{key}）“{_str(p.get(key))}”不是有效年份", field=key)
            value = default
        years[key] = value
    if not years["base_year"] < years["start_year"] <= years["end_year"]:
        c.error("规划信息", f"年份不一致：基期{years['base_year']}年、规划期"
                f"{years['start_year']}—{years['end_year']}年", field="end_year")

    final_region_name = region_name if region_name is not None else tpl_region_name
    final_region_code = region_code if region_code is not None else tpl_region_code
    if region_name is not None and tpl_region_name and tpl_region_name in title:
        title = title.replace(tpl_region_name, region_name)

    # -- boxes and rows
    boxes: list[Box] = []
    indicators: list[Indicator] = []
    codes: dict[str, str] = {}  # code -> where
    row_codes: dict[str, str] = {}  # row key -> code (for parents and actuals)
    labels: set[str] = set()
    raw_boxes = data.get("boxes")
    if not isinstance(raw_boxes, list) or not raw_boxes:
        c.error("", "没有任何专栏（boxes）", field="boxes")
        raw_boxes = []
    for b_index, b in enumerate(raw_boxes, 1):
        if not isinstance(b, dict):
            c.error(f"第{b_index}个专栏", "不是 JSON 对象", field="box")
            continue
        label = _str(b.get("label")).strip()
        if not label:
            c.error(f"第{b_index}个专栏", "缺少专栏编号（label）", field="label")
            label = f"专栏{b_index}"
        if label in labels:
            c.error(f"{label}", "专栏编号重复", field="label")
        labels.add(label)
        box, box_rows = _box(c, b, label)
        boxes.append(box)
        section_keys = {s.key for s in box.sections}
        item_numbers = {i.number for i in box.items}
        box_base_label = _str(b.get("base_label"))
        for r_index, row in enumerate(box_rows, 1):
            ind = _indicator(
                c, tid, label, r_index, row, section_keys, item_numbers, box_base_label,
                codes, row_codes, parse_target, parse_value,
            )
            if ind is not None:
                indicators.append(ind)

    # -- actuals
    actuals: list[Actual] = []
    seen_actuals: set[tuple[str, int, str]] = set()
    for a_index, a in enumerate(_list(data.get("actuals")), 1):
        where = f"第{a_index}个实际值"
        if not isinstance(a, dict):
            c.error(where, "不是 JSON 对象", field="actual")
            continue
        row_key = _str(a.get("row"))
        code = row_codes.get(row_key)
        if code is None:
            c.error(where, f"指向不存在的指标行“{row_key}”", field="row")
            continue
        year = _int_or_none(a.get("year"))
        if year is None or not years["base_year"] <= year <= years["end_year"]:
            c.error(where, f"年份“{_str(a.get('year'))}”不在基期至规划期末之间", code=code,
                    field="year")
            continue
        try:
            nature = Nature(_str(a.get("nature")) or Nature.ANNUAL.value)
        except ValueError:
            c.error(where, f"数据性质“{_str(a.get('nature'))}”未知，应为快报、年报或预计",
                    code=code, year=year, field="nature")
            continue
        raw_value = a.get("value")
        try:
            value = parse_value(_str(raw_value)) if raw_value not in (None, "") else None
        except NotationError as exc:
            c.error(where, f"数值无法识别（{exc.message}）", code=code, year=year, field="value")
            continue
        if (code, year, nature.value) in seen_actuals:
            c.error(where, f"{year}年{nature.value}值重复", code=code, year=year, field="value")
            continue
        seen_actuals.add((code, year, nature.value))
        actuals.append(Actual(
            code=IndicatorCode(code), year=year, value=value, nature=nature,
            source=_str(a.get("source")), note=_str(a.get("note")), status=_str(a.get("status")),
            updated_by=_str(a.get("updated_by")), updated_at=_str(a.get("updated_at")),
        ))

    props = p.get("properties")
    properties = tuple((str(k), _str(v)) for k, v in props.items()) if isinstance(props, dict) else ()
    plan = Plan(
        title=title,
        region_code=final_region_code,
        region_name=final_region_name,
        start_year=years["start_year"],
        end_year=years["end_year"],
        base_year=years["base_year"],
        wenhao=_str(p.get("wenhao")),
        issuer=_str(p.get("issuer")),
        template_id=tid,
        catalogue_version=_str(data.get("catalogue_version")),
        sample_note=_str(data.get("sample_note")),
        boxes=tuple(boxes),
        indicators=tuple(indicators),
        properties=properties,
    )
    return plan, actuals, c.problems


def _box(c: _Collector, b: dict, label: str) -> tuple[Box, list]:
    kind = _str(b.get("kind") or "indicators")
    if kind not in BOX_KINDS:
        c.error(label, f"专栏类型“{kind}”未知，应为 indicators 或 tasks", field="kind")
        kind = "indicators"
    name_style = _str(b.get("name_style") or "numbered")
    if name_style not in NAME_STYLES:
        c.error(label, f"名称样式“{name_style}”未知，应为 numbered 或 plain", field="name_style")
        name_style = "numbered"
    section_style = _str(b.get("section_style") or "rows")
    if section_style not in SECTION_STYLES:
        c.error(label, f"类别样式“{section_style}”未知，应为 rows 或 merged", field="section_style")
        section_style = "rows"

    columns: list[Column] = []
    col_keys: set[str] = set()
    for i, col in enumerate(_list(b.get("columns")), 1):
        if not isinstance(col, dict):
            c.error(label, f"第{i}列不是 JSON 对象", field="columns")
            continue
        key, header, role = _str(col.get("key")), _str(col.get("header")), _str(col.get("role"))
        if not key:
            c.error(label, f"第{i}列缺少列标识（key）", field="columns")
            continue
        if key in col_keys:
            c.error(label, f"列标识“{key}”重复", field="columns")
            continue
        if role not in COLUMN_ROLES:
            c.error(label, f"第{i}列“{header}”的角色“{role}”未知", field="columns")
            continue
        col_keys.add(key)
        columns.append(Column(key=key, header=header, role=role))
    if kind == "indicators" and not any(col.role == "name" for col in columns):
        c.error(label, "没有指标名称列（role 为 name）", field="columns")

    sections: list[Section] = []
    for i, s in enumerate(_list(b.get("sections")), 1):
        if not isinstance(s, dict) or not _str(s.get("key")) or not _str(s.get("title")):
            c.error(label, f"第{i}个类别缺少 key 或 title", field="sections")
            continue
        if any(x.key == _str(s.get("key")) for x in sections):
            c.error(label, f"类别标识“{_str(s.get('key'))}”重复", field="sections")
            continue
        sections.append(Section(key=_str(s.get("key")), box=label, title=_str(s.get("title"))))

    items: list[TaskItem] = []
    for i, it in enumerate(_list(b.get("items")), 1):
        number = _int_or_none(it.get("number")) if isinstance(it, dict) else None
        text = _str(it.get("text")) if isinstance(it, dict) else ""
        if number is None or not text:
            c.error(label, f"第{i}条任务缺少序号（number）或内容（text）", field="items")
            continue
        if any(x.number == number for x in items):
            c.error(label, f"任务序号{number}重复", field="items")
            continue
        items.append(TaskItem(number=number, text=text))

    footnotes = tuple(_str(f) for f in _list(b.get("footnotes")))
    unit_in_name = b.get("unit_in_name", name_style == "numbered")
    box = Box(
        label=label,
        title=_str(b.get("title")),
        kind=kind,
        columns=tuple(columns),
        footnotes=footnotes,
        sections=tuple(sections),
        items=tuple(items),
        name_style=name_style,
        section_style=section_style,
        unit_in_name=bool(unit_in_name),
    )
    rows = b.get("rows")
    if rows is None:
        rows = []
    if not isinstance(rows, list):
        c.error(label, "指标行（rows）不是列表", field="rows")
        rows = []
    return box, rows


def _indicator(c, tid, label, r_index, row, section_keys, item_numbers, box_base_label,
               codes, row_codes, parse_target, parse_value) -> Indicator | None:
    if not isinstance(row, dict):
        c.error(f"{label}第{r_index}行", "不是 JSON 对象", field="row")
        return None
    key = _str(row.get("key")).strip()
    name = _str(row.get("name")).strip()
    where = f"{label}第{r_index}行" + (f"（{key}" + (f" {name}" if name else "") + "）" if key else
                                      (f"（{name}）" if name else ""))
    if not key:
        c.error(where, "缺少行标识（key）", field="key")
        return None
    if key in row_codes:
        c.error(where, f"行标识“{key}”重复", field="key")
        return None
    code = _str(row.get("code")).strip() or f"{tid}-{key}"
    unknown = sorted(set(row) - ROW_FIELDS)
    if unknown:
        c.warning(where, f"未知字段 {', '.join(unknown)} 已忽略", code=code, field=unknown[0])
    if code in codes:
        c.error(where, f"指标代码“{code}”与{codes[code]}重复", code=code, field="code")
        return None
    if not name:
        c.error(where, "缺少指标名称（name）", code=code, field="name")
        return None
    unit = _str(row.get("unit")).strip()

    target_text = row.get("target")
    if target_text is None:
        c.error(where, "缺少目标值（target）", code=code, field="target")
        return None
    try:
        target = parse_target(_str(target_text), unit)
    except NotationError as exc:
        c.error(where, exc.message, code=code, field="target")
        return None

    base_text = _str(row.get("base"))
    base = None
    if base_text.strip():
        try:
            base = _parse_base(base_text, unit, parse_target, parse_value)
        except NotationError as exc:
            c.error(where, f"基期值（base）：{exc.message}", code=code, field="base")

    attribute = _enum(c, where, code, "attribute", row.get("attribute"), Attribute,
                      Attribute.EXPECTED, "属性", by_name=True)
    kind = _enum(c, where, code, "kind", row.get("kind"), Kind, Kind.LEVEL, "指标类型")
    default_direction = Direction.LOWER if kind is Kind.CEILING else Direction.HIGHER
    direction = _enum(c, where, code, "direction", row.get("direction"), Direction,
                      default_direction, "方向")
    rule = _enum(c, where, code, "rule", row.get("rule"), Rule, Rule.SUM, "汇总规则")

    section = row.get("section")
    section = _str(section) if section not in (None, "") else None
    if section is not None and section not in section_keys:
        c.error(where, f"所属类别“{section}”在{label}中不存在", code=code, field="section")
        section = None

    parent = row.get("parent")
    parent_code = None
    if parent not in (None, ""):
        parent_code = row_codes.get(_str(parent))
        if parent_code is None:
            c.error(where, f"上级指标行“{_str(parent)}”不存在或不在本行之前", code=code,
                    field="parent")
        elif not codes.get(parent_code, "").startswith(f"{label}第"):
            c.error(where, f"上级指标行“{_str(parent)}”不在{label}中", code=code, field="parent")
            parent_code = None

    task_item = row.get("task_item")
    if task_item not in (None, ""):
        task_item = _int_or_none(task_item)
        if task_item is None or task_item not in item_numbers:
            c.error(where, f"关联任务“{_str(row.get('task_item'))}”在{label}中不存在", code=code,
                    field="task_item")
            task_item = None
    else:
        task_item = None

    tolerance = None
    if row.get("tolerance") not in (None, ""):
        try:
            tolerance = Decimal(_str(row.get("tolerance")))
            if not tolerance.is_finite() or tolerance < 0:
                raise InvalidOperation
        except InvalidOperation:
            c.error(where, f"容差“{_str(row.get('tolerance'))}”不是非负数", code=code,
                    field="tolerance")
            tolerance = None

    extra: dict[str, str] = {}
    raw_extra = row.get("extra")
    if isinstance(raw_extra, dict):
        extra = {str(k): _str(v) for k, v in raw_extra.items()}
    elif raw_extra is not None:
        c.error(where, "其他单元格（extra）应为对象", code=code, field="extra")
    extra.pop(SAMPLE_KEY, None)
    if row.get("sample"):
        fields = row.get("sample_fields")
        extra[SAMPLE_KEY] = ",".join(_str(f) for f in fields) if isinstance(fields, list) and fields else "*"
    elif row.get("sample_fields"):
        c.warning(where, "列出了示例单元格（sample_fields）但未标记 sample", code=code,
                  field="sample")

    codes[code] = f"{label}第{r_index}行"
    row_codes[key] = code
    return Indicator(
        code=IndicatorCode(code),
        box=label,
        name=name,
        unit=unit,
        target=target,
        seq=_str(row.get("seq")),
        section=section,
        base=base,
        base_text=base_text,
        base_label=_str(row.get("base_label")) if "base_label" in row else box_base_label,
        attribute=attribute,
        kind=kind,
        direction=direction,
        parent=IndicatorCode(parent_code) if parent_code else None,
        rule=rule,
        responsible=_str(row.get("responsible")),
        tolerance=tolerance,
        task_item=task_item,
        note=_str(row.get("note")),
        extra=tuple(sorted(extra.items())),
    )


def _parse_base(text: str, unit: str, parse_target, parse_value) -> Decimal | None:
    """A base cell: a number, or a dash (``-``, ``—``) printed for "no base value"."""
    try:
        return parse_value(text, unit)
    except NotationError:
        target = parse_target(text, unit)
        if target.is_none:
            return None
        raise NotationError(f"基期值“{text}”不是数值") from None


def _enum(c, where, code, field, raw, enum, default, label, by_name=False):
    if raw in (None, ""):
        return default
    text = _str(raw)
    try:
        return enum(text)
    except ValueError:
        pass
    if by_name:
        member = enum.__members__.get(text.upper())
        if member is not None:
            return member
    allowed = "、".join(m.value for m in enum)
    c.error(where, f"{label}（{field}）“{text}”未知，应为 {allowed}", code=code, field=field)
    return default


# ---------------------------------------------------------------- helpers


def sample_fields(indicator: Indicator) -> frozenset[str] | None:
    """Fields of the row holding sample values; ``{"*"}`` = the whole row; None = no sample."""
    raw = indicator.extra_cell(SAMPLE_KEY)
    if not raw:
        return None
    return frozenset(f for f in raw.split(",") if f)


def decimal_text(d: Decimal) -> str:
    """A decimal as written, without exponent: Decimal("22.43") → "22.43", 1E+2 → "100"."""
    return format(d, "f")


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


__all__ = [
    "FORMAT",
    "SAMPLE_KEY",
    "TemplateInfo",
    "plan_from_template",
    "sample_fields",
    "template_info",
]
