"""The printed cells of a box, as the plan prints them (DESIGN §7, layout 1).

Pure: from a ``Plan``, one ``Box`` and the actuals, the rows a renderer draws — section
headings, indicator rows following the box's own columns, task items — with the merge
information of a merged 一级指标 column. The PDF and Excel renderers draw exactly these cells;
they never format a value themselves.

Printing rules:

- a name cell of a ``numbered`` box is ``<seq>.`` + ``其中：`` (a sub-indicator) + name +
  ``（unit）`` when the box prints the unit in the name: "1.城镇新增就业人数（万人）";
  a ``plain`` box prints the bare name ("人才资源总量"); full-width （）： are printed;
- a base cell prints ``Indicator.base_text`` as written, a target / planned cell prints
  ``Target.text`` as written;
- an achieved cell prints the cell kept in ``Indicator.extra`` under the column key when there
  is one (a non-numeric 完成数 such as "—"), else the end-year actual (年报 before 快报 before
  预计), else nothing;
- an ``extra`` column prints ``Indicator.extra`` under the column key.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Actual, Box, Indicator, Nature, Plan, TaskItem
from .template_format import sample_fields

_NATURE_RANK = {Nature.ANNUAL: 0, Nature.QUICK: 1, Nature.ESTIMATE: 2}


@dataclass(frozen=True)
class PrintedRow:
    """One printed row of a box.

    ``kind``: ``section`` (heading row of a ``rows`` box; its text is ``cells[0]`` and it
    spans ``colspan`` columns), ``indicator`` (cells follow ``box.columns``) or ``item``
    (one task item of a task box; one cell).
    ``indent`` is 1 for a 其中 row. ``span`` is ``(column index, row count)`` when this row
    starts a merged cell that runs down ``row count`` rows (the 一级指标 column of a
    ``merged`` box); ``covered`` lists the column indexes of this row that a merged cell from
    a row above covers (their text is ""). ``sample_columns`` are the column indexes whose
    cell holds a sample value (示例值).
    """

    kind: str
    cells: tuple[str, ...]
    indent: int = 0
    code: str | None = None
    span: tuple[int, int] | None = None
    covered: tuple[int, ...] = ()
    colspan: int = 1
    sample_columns: tuple[int, ...] = ()

    @property
    def sample(self) -> bool:
        """The row holds at least one sample (reconstructed) value."""
        return bool(self.sample_columns)

    @property
    def text(self) -> str:
        """The first cell: heading text, item text or the name cell of a plain row."""
        return self.cells[0] if self.cells else ""


def printed_name(box: Box, indicator: Indicator) -> str:
    """The name cell as printed: "5.其中：农民工参加职业培训人次（万人次）" / "人才资源总量"."""
    name = indicator.name
    if indicator.parent is not None:
        name = f"其中：{name}"
    unit = f"（{indicator.unit}）" if box.unit_in_name and indicator.unit else ""
    if box.name_style != "numbered":  # e.g. 浙江 表1: "人才资源总量（万人）", no number
        return f"{name}{unit}"
    prefix = f"{indicator.seq}." if indicator.seq else ""
    return f"{prefix}{name}{unit}"


def printed_item(item: TaskItem) -> str:
    """A task item as printed: "1.围绕…培育和建设200个产教融合型企业。"."""
    return f"{item.number}.{item.text}"


def printed_caption(box: Box) -> str:
    """Label and title: "专栏2　“十四五”规划发展主要指标" (``Box.caption``)."""
    return box.caption


def end_year_actual(plan: Plan, code: str, actuals) -> Actual | None:
    """The actual of ``code`` for the plan's end year (年报 before 快报 before 预计)."""
    found = [a for a in actuals if a.code == code and a.year == plan.end_year]
    if not found:
        return None
    return min(found, key=lambda a: _NATURE_RANK.get(a.nature, 9))


def format_value(value: Decimal | None) -> str:
    """A stored value as printed: as many decimals as it was entered with, no exponent."""
    return "" if value is None else format(value, "f")


def indicator_cells(plan: Plan, box: Box, indicator: Indicator, actuals=()) -> tuple[str, ...]:
    """The cells of one indicator row following ``box.columns`` (the category cell is "")."""
    cells = []
    for col in box.columns:
        role = col.role
        if role == "seq":
            cells.append(indicator.seq)
        elif role == "category":
            cells.append("")
        elif role == "name":
            cells.append(printed_name(box, indicator))
        elif role == "unit":
            cells.append(indicator.unit)
        elif role == "base":
            cells.append(indicator.base_text)
        elif role in ("target", "planned"):
            cells.append(indicator.target.text)
        elif role == "attribute":
            cells.append(indicator.attribute.value)
        elif role == "achieved":
            kept = dict(indicator.extra).get(col.key)
            if kept is not None:
                cells.append(kept)
            else:
                actual = end_year_actual(plan, indicator.code, actuals)
                cells.append(format_value(actual.value) if actual is not None else "")
        else:  # extra and anything a newer template adds
            cells.append(indicator.extra_cell(col.key))
    return tuple(cells)


def _sample_columns(box: Box, indicator: Indicator) -> tuple[int, ...]:
    fields = sample_fields(indicator)
    if not fields:
        return ()
    value_roles = {"base", "target", "planned", "achieved", "extra"}
    out = []
    for i, col in enumerate(box.columns):
        field = {"planned": "target"}.get(col.role, col.role)
        if "*" in fields:
            if col.role in value_roles:
                out.append(i)
        elif field in fields or col.key in fields:
            out.append(i)
    return tuple(out)


def box_rows(plan: Plan, box: Box, actuals=()) -> list[PrintedRow]:
    """Every printed row of ``box`` in order (titles and footnotes are on the box itself)."""
    if box.is_task_box:
        return [PrintedRow(kind="item", cells=(printed_item(item),)) for item in box.items]

    indicators = plan.indicators_of(box.label)
    titles = {s.key: s.title for s in box.sections}
    ncols = len(box.columns)
    category_col = next((i for i, c in enumerate(box.columns) if c.role == "category"), None)
    merged = box.section_style == "merged" and category_col is not None

    rows: list[PrintedRow] = []
    previous: object = object()
    i = 0
    while i < len(indicators):
        ind = indicators[i]
        if merged:
            # a block of consecutive rows of the same section shares one merged category cell
            j = i
            while j < len(indicators) and indicators[j].section == ind.section:
                j += 1
            for k in range(i, j):
                row_ind = indicators[k]
                cells = list(indicator_cells(plan, box, row_ind, actuals))
                first = k == i
                if first:
                    cells[category_col] = titles.get(ind.section, "") if ind.section else ""
                rows.append(PrintedRow(
                    kind="indicator",
                    cells=tuple(cells),
                    indent=1 if row_ind.is_sub_item else 0,
                    code=row_ind.code,
                    span=(category_col, j - i) if first else None,
                    covered=() if first else (category_col,),
                    sample_columns=_sample_columns(box, row_ind),
                ))
            i = j
            continue
        if ind.section != previous and ind.section is not None:
            rows.append(PrintedRow(
                kind="section",
                cells=(titles.get(ind.section, ""),) + ("",) * max(ncols - 1, 0),
                colspan=max(ncols, 1),
            ))
        previous = ind.section
        rows.append(PrintedRow(
            kind="indicator",
            cells=indicator_cells(plan, box, ind, actuals),
            indent=1 if ind.is_sub_item else 0,
            code=ind.code,
            sample_columns=_sample_columns(box, ind),
        ))
        i += 1
    return rows


def header_cells(box: Box) -> tuple[str, ...]:
    """The header row: the columns' headers."""
    return tuple(col.header for col in box.columns)


__all__ = [
    "PrintedRow",
    "box_rows",
    "end_year_actual",
    "format_value",
    "header_cells",
    "indicator_cells",
    "printed_caption",
    "printed_item",
    "printed_name",
]
