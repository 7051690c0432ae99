"""The fingerprint's test vector (docs/fingerprint.md) — another program can recompute it."""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

from desktop.domain.fingerprint import canonical_bytes, canonical_document, fingerprint, grouped
from desktop.domain.model import Actual, Box, Column, Indicator, IndicatorCode, Kind, Nature, Plan, Section
from desktop.domain.notation import parse_target

DOC = Path(__file__).resolve().parents[2] / "docs" / "fingerprint.md"
VECTOR = "6abeeee5cacc6e2f503256d141c604117a099449455891b2f099dcff49f84ac3"
CODE = IndicatorCode("sy-zl2-01")


def vector_plan() -> tuple[Plan, dict]:
    box = Box(
        label="专栏2",
        title="“十四五”规划发展主要指标",
        columns=(Column("name", "指标", "name"), Column("base", "2020年", "base"), Column("target", "2025年", "target"), Column("attribute", "属性", "attribute")),
        footnotes=("注：[]内为五年积累数。",),
        sections=(Section("s1", "专栏2", "一、就业"),),
    )
    ind = Indicator(code=CODE, box="专栏2", name="城镇新增就业人数", unit="万人", target=parse_target("[>23.5]", "万人"), seq="1", section="s1", base=D("4.72"), base_text="4.72", kind=Kind.CUMULATIVE_SUM)
    plan = Plan(title="新邵县“十四五”人力资源和社会保障事业发展规划", region_code="430522", region_name="新邵县", template_id="sy-zl2", catalogue_version="2021.1", boxes=(box,), indicators=(ind,))
    acts = {
        CODE: {
            2021: Actual(CODE, 2021, D("4.8")),
            2022: Actual(CODE, 2022, D("5.0")),
            2023: Actual(CODE, 2023, D("5.2"), Nature.QUICK),
            2024: Actual(CODE, 2024, D("5.3"), Nature.ESTIMATE),
        }
    }
    return plan, acts


def test_vector() -> None:
    plan, acts = vector_plan()
    assert fingerprint(plan, acts, 2023) == VECTOR


def test_docs_carry_the_same_vector() -> None:
    text = DOC.read_text(encoding="utf-8")
    json_text = re.search(r"```json\n(.*?)\n```", text, re.S).group(1)
    plan, acts = vector_plan()
    assert json_text.encode("utf-8") == canonical_bytes(canonical_document(plan, acts, 2023))
    assert hashlib.sha256(json_text.encode("utf-8")).hexdigest() == VECTOR
    assert VECTOR in text


def test_every_value_and_definition_change_moves_it() -> None:
    plan, acts = vector_plan()
    changed_value = {CODE: {**acts[CODE], 2022: Actual(CODE, 2022, D("5.1"))}}
    changed_nature = {CODE: {**acts[CODE], 2022: Actual(CODE, 2022, D("5.0"), Nature.QUICK)}}
    renamed = replace(plan, indicators=(replace(plan.indicators[0], name="城镇新增就业"),))
    prints = {
        fingerprint(plan, changed_value, 2023),
        fingerprint(plan, changed_nature, 2023),
        fingerprint(renamed, acts, 2023),
        fingerprint(replace(plan, region_code="430523"), acts, 2023),
        fingerprint(plan, acts, 2024),
    }
    assert len(prints) == 5 and VECTOR not in prints


def test_equal_decimals_and_notes_do_not_move_it() -> None:
    plan, acts = vector_plan()
    same = {CODE: {**acts[CODE], 2022: Actual(CODE, 2022, D("5.00"), note="说明不计入")}}
    assert fingerprint(plan, same, 2023) == VECTOR


def test_grouped_for_print() -> None:
    assert grouped(VECTOR) == "6abeeee5 cacc6e2f 503256d1 41c60411 7a099449 455891b2 f099dcff 49f84ac3"


def test_plain_rows_give_the_same_bytes_as_the_general_way() -> None:
    """``fingerprint_of_plain_rows`` (the verifier's one-pass writer) equals ``fingerprint_of_rows``
    for random checked rows, texts that need escaping included (those go the general way)."""
    import random

    from desktop.domain.fingerprint import fingerprint_of_plain_rows, fingerprint_of_rows

    rng = random.Random(5)
    odd = ['代码"引号', "反\\斜线", "换\n行", "制表\t", "\x01", "普通", "", "x-01"]
    for _ in range(300):
        rows = sorted((
            (rng.choice(odd) if rng.random() < 0.1 else f"sy-zl2-{rng.randint(1, 14):02d}", rng.randint(2021, 2025),
             rng.choice([None, "0", "4.72", "-3.5", "123456789012345678.123456789"]),
             rng.choice([n.value for n in Nature]), rng.choice(odd) if rng.random() < 0.1 else rng.choice(["", "达标"]))
            for _ in range(rng.randint(0, 30))
        ), key=lambda r: (r[0], r[1]))
        args = ('{"plan":1}', "430522", "新邵县", 2023)
        assert fingerprint_of_plain_rows(*args, rows) == fingerprint_of_rows(*args, rows)
