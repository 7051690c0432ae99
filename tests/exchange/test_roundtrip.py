"""County → city → province: export, verify, import, consolidate, resubmit, diff."""
from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from desktop.domain.fingerprint import fingerprint
from desktop.domain.model import Nature
from desktop.exchange import (
    consolidate,
    default_name,
    diff_files,
    diff_versions,
    export_submission,
    import_submissions,
    register_regions,
    verify_submission,
    write_consolidation,
)
from desktop.exchange.forge import resign
from desktop.exchange.manifest import read_manifest
from desktop.store import actions
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace

from .conftest import JOBS, PENSION, SURVEY, UNEMP_INS

D = Decimal


def test_export_is_one_self_contained_file_with_a_manifest(counties, tmp_path):
    with Workspace.open(counties["430522"]) as ws:
        path = export_submission(ws, 2023)
        plan = ws.plan()
    assert path.name == "430522_新邵县_2023年_指标报送.sqlite" == default_name(plan, 2023)
    assert path.parent == counties["430522"].parent
    head = path.read_bytes()[:100]
    assert head[18] == head[19] == 1  # rollback journal, not WAL
    # opened read-only from a read-only folder: no -wal/-shm/-journal appears
    ro = tmp_path / "ro"
    ro.mkdir()
    copy = ro / path.name
    copy.write_bytes(path.read_bytes())
    ro.chmod(0o555)
    try:
        with Workspace.open(copy, read_only=True) as sub:  # a city can open it as a workspace
            assert sub.plan().region_code == "430522"
            values = sub.actuals()
        assert sorted(p.name for p in ro.iterdir()) == [path.name]
    finally:
        ro.chmod(0o755)
    assert values[JOBS].keys() == {2021, 2022, 2023}  # the 2024 estimate is not reported
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    m = read_manifest(conn)
    assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0
    conn.close()
    assert m is not None and (m.region_code, m.region_name, m.report_year, m.nature) == ("430522", "新邵县", 2023, "年报")
    assert m.template_id == "sy-zl2" and m.catalogue_version == plan.catalogue_version and m.schema_version == 2
    assert m.fingerprint == fingerprint(plan, {c: {y: a for y, a in per.items() if y <= 2023} for c, per in values.items()}, 2023)


def test_export_never_overwrites_without_a_backup(counties, tmp_path):
    target = tmp_path / "out.sqlite"
    target.write_bytes(b"earlier")
    with Workspace.open(counties["430522"]) as ws:
        export_submission(ws, 2023, target, nature=Nature.QUICK)
        assert any(e.action == "export" for e in ws.audit())
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("out.备份-")]
    assert len(backups) == 1 and backups[0].read_bytes() == b"earlier"
    r = verify_submission(target)
    assert r.ok, r.reasons
    assert r.manifest.nature == "快报"


def test_good_files_verify(exported):
    for path in exported.values():
        r = verify_submission(path)
        assert r.ok, r.reasons
        assert r.actuals[JOBS].keys() == {2021, 2022, 2023}


@pytest.mark.parametrize("overlap", [False, True], ids=["one-connection", "group-by-in-a-thread"])
def test_city_consolidates_to_hand_computed_sums(exported, city, overlap, monkeypatch):
    import sys

    module = sys.modules["desktop.exchange.consolidate"]  # the package's name is the function
    monkeypatch.setattr(module, "OVERLAP_MIN", 1 if overlap else 10**9)  # the large-batch path on 2 files
    with Workspace.open(city) as ws:
        report = import_submissions(ws, [exported["430522"].parent])
        assert [i.status for i in report.items] == ["imported", "imported"], [i.reasons for i in report.items]
        result = consolidate(ws, 2023)
    jobs = next(i for i in result.indicators if i.code == JOBS)
    assert jobs.values == {2021: D("3.0"), 2022: D("3.3"), 2023: D("3.6")}
    assert sum(jobs.values.values()) == D("9.9")
    assert jobs.value == D("3.6")
    assert {r.name: r.value for r in jobs.regions} == {"新邵县": D("1.2"), "邵阳县": D("2.4")}
    # the city's progress by the same progress module: 9.9 of the cumulative target 23.5
    assert jobs.assessment is not None and jobs.assessment.current == D("9.9")
    assert round(jobs.completion, 6) == round(D("9.9") / D("23.5"), 6)
    assert jobs.status == "滞后"
    insured = next(i for i in result.indicators if i.code == UNEMP_INS)
    assert insured.value == D("7.75")
    survey = next(i for i in result.indicators if i.code == SURVEY)
    assert survey.value is None and survey.status == "不可汇总"
    assert {r.name: r.value for r in survey.regions} == {"新邵县": D("5.1"), "邵阳县": D("4.9")}
    pension = next(i for i in result.indicators if i.code == PENSION)
    assert pension.status == "不可汇总" and pension.rule.value == "ratio"
    data = result.as_dict()
    row = next(i for i in data["indicators"] if i["code"] == JOBS)
    assert row["values"] == {"2021": 3, "2022": 3.3, "2023": 3.6} and row["value"] == 3.6
    assert row["completion"] == round(9.9 / 23.5, 4)
    assert data["missing_regions"] == []


def test_import_twice_changes_nothing_and_resubmission_is_a_new_version(exported, city, tmp_path):
    with Workspace.open(city) as ws:
        import_submissions(ws, exported.values())
        before = ws.connection.execute("SELECT count(*) FROM submitted_value").fetchone()[0]
        again = import_submissions(ws, exported.values())
        assert [i.status for i in again.items] == ["duplicate", "duplicate"]
        assert ws.connection.execute("SELECT count(*) FROM submitted_value").fetchone()[0] == before
        # 新邵县 corrects 2023: a new version, the first stays
        fixed = tmp_path / "fixed.sqlite"
        resign(exported["430522"], fixed, values=lambda c, y, v: D("1.5") if (c, y) == (JOBS, 2023) else v)
        r = import_submissions(ws, [fixed])
        assert r.items[0].status == "imported" and r.items[0].version == 2
        versions = ws.connection.execute(
            "SELECT version FROM submission WHERE region_code = '430522' AND year = 2023 ORDER BY version"
        ).fetchall()
        assert versions == [(1,), (2,)]
        result = consolidate(ws, 2023)
        assert next(i for i in result.indicators if i.code == JOBS).value == D("3.9")
        d = diff_versions(ws, "430522", 2023, 1, 2)
        assert [(c.code, c.year, c.old[0], c.new[0]) for c in d.changes] == [(JOBS, 2023, D("1.2"), D("1.5"))]
    d = diff_files(exported["430522"], fixed)
    assert [(c.code, c.year, c.kind) for c in d.changes] == [(JOBS, 2023, "changed")]


def test_missing_regions_listed(exported, city, tmp_path):
    with Workspace.open(city) as ws:
        register_regions(ws, [("430521", "邵东县", None, 2018), ("430524", "隆回县", None, None)])
        import_submissions(ws, [exported["430522"]])
        result = consolidate(ws, 2023)
        # 邵东县 became a city in 2019 (valid_to 2018): not expected any more
        assert result.missing_regions == [("430524", "隆回县")]
        import_submissions(ws, [exported["430523"]])
        # a region seen in any submission but missing for another year
        with pytest.raises(Exception):
            consolidate(ws, 2030)
        actions.set_actual  # noqa: B018 (the city's own values are untouched by import)
        assert ws.actuals().get(JOBS) is None


def test_catalogue_mismatch_reported_per_indicator(exported, city, tmp_path):
    odd = tmp_path / "odd.sqlite"
    resign(
        exported["430522"], odd,
        sql="UPDATE indicator SET code = 'x-custom-1', name = '自定义指标' WHERE code = 'sy-zl2-14';"
            "UPDATE indicator SET unit = '人' WHERE code = 'sy-zl2-07';"
            "UPDATE actual SET value = '35000' WHERE code = 'sy-zl2-07'",
    )
    assert verify_submission(odd).ok
    with Workspace.open(city) as ws:
        item = import_submissions(ws, [odd]).items[0]
        assert item.status == "imported", item.reasons
        text = "\n".join(item.warnings)
        assert "“自定义指标”（x-custom-1）不在本级指标目录中" in text
        assert "计量单位不一致" in text and "sy-zl2-07" in text
        assert "未包含本级指标“劳动保障监察举报投诉案件结案率”（sy-zl2-14）" in text
        kept = ws.connection.execute("SELECT code, in_catalogue FROM submitted_value WHERE code = 'sy-zl2-07'").fetchall()
        assert kept == [("sy-zl2-07", 0)]  # kept, not consolidated
        result = consolidate(ws, 2023)
        assert next(i for i in result.indicators if i.code == UNEMP_INS).value is None


def test_round_trip_county_city_province_keeps_every_value(exported, city, tmp_path):
    with Workspace.open(city) as ws:
        import_submissions(ws, exported.values())
        result = consolidate(ws, 2023)
        assert write_consolidation(ws, result) == 4  # jobs 2021-2023 and 失业保险参保人数 2023
        city_file = export_submission(ws, 2023, tmp_path / "city_2023.sqlite")
    r = verify_submission(city_file)
    assert r.ok, r.reasons
    assert len(r.detail.submissions) == 2 and len(r.detail.values) == 10  # the regions' detail travels up
    province = tmp_path / "province.sqlite"
    with new_workspace(province, template="sy-zl2", region_code="430000", region_name="湖南省") as pws:
        report = import_submissions(pws, [city_file])
        assert report.items[0].status == "imported", report.items[0].reasons
        presult = consolidate(pws, 2023)
    jobs = next(i for i in presult.indicators if i.code == JOBS)
    assert jobs.values == {2021: D("3"), 2022: D("3.3"), 2023: D("3.6")}
    assert next(i for i in presult.indicators if i.code == UNEMP_INS).value == D("7.75")
    # every county value is in the province's file of the city, unchanged
    conn = sqlite3.connect(f"file:{city_file}?mode=ro&immutable=1", uri=True)
    county_values = conn.execute(
        "SELECT s.region_code, v.code, v.year, v.value FROM submitted_value v JOIN submission s ON s.id = v.submission"
    ).fetchall()
    conn.close()
    expect = {("430522", JOBS, 2021, "1"), ("430522", JOBS, 2022, "1.1"), ("430523", JOBS, 2023, "2.4"),
              ("430522", SURVEY, 2023, "5.1"), ("430523", UNEMP_INS, 2023, "4.25")}
    assert expect <= set(county_values)


@pytest.mark.parametrize("county_first", [False, True])
def test_a_county_beside_its_city_is_flagged(exported, city, tmp_path, county_first):
    """A province that imports a county's file as well as its city's keeps and sums both (the
    city's file may or may not include the county: its detail is not stored) and says so at
    import and in the consolidation."""
    with Workspace.open(city) as ws:
        import_submissions(ws, exported.values())
        write_consolidation(ws, consolidate(ws, 2023))
        city_file = export_submission(ws, 2023, tmp_path / "city_2023.sqlite")
    files = [exported["430522"], city_file] if county_first else [city_file, exported["430522"]]
    with new_workspace(tmp_path / "province.sqlite", template="sy-zl2", region_code="430000", region_name="湖南省") as pws:
        report = import_submissions(pws, files)
        result = consolidate(pws, 2023)
    assert [i.status for i in report.items] == ["imported", "imported"]
    said = report.items[1].warnings
    if county_first:
        assert any("已导入邵阳市（430500）下级新邵县的 2023 年报送" in w for w in said)
    else:
        assert any("新邵县（430522）的上级邵阳市（430500）已有 2023 年报送" in w for w in said)
    jobs = next(i for i in result.indicators if i.code == JOBS)
    assert jobs.values[2023] == D("3.6") + D("1.2")  # both summed, and flagged
    assert any(w.startswith("新邵县（430522）与上级邵阳市（430500）都有报送") for w in result.warnings)


def test_county_from_another_city_is_refused(exported, tmp_path):
    other = tmp_path / "hengyang.sqlite"
    new_workspace(other, template="sy-zl2", region_code="430400", region_name="衡阳市").close()
    with Workspace.open(other) as ws:
        item = import_submissions(ws, [exported["430522"]]).items[0]
    assert item.status == "refused" and item.codes == ["not_under"]
    assert "新邵县（430522）不是本级 衡阳市（430400）的下级地区" in item.reasons[0]


def test_progress_and_cancel(exported, city):
    seen = []
    with Workspace.open(city) as ws:
        report = import_submissions(ws, exported.values(), progress=lambda n, total, p: seen.append((n, total)),
                                    cancel=lambda: len(seen) >= 1)
    assert report.cancelled and len(report.items) == 1 and seen == [(0, 2)]


def test_sql_consolidation_equals_the_pure_rules(exported, city, tmp_path):
    from desktop.exchange.combine import combine
    from desktop.exchange.consolidate import latest_submissions

    gap = tmp_path / "gap.sqlite"  # 邵阳县 without its 2022 value
    resign(exported["430523"], gap, sql="DELETE FROM actual WHERE code = 'sy-zl2-01' AND year = 2022")
    with Workspace.open(city) as ws:
        import_submissions(ws, [exported["430522"], gap])
        result = consolidate(ws, 2023)
        values, rules, warnings = combine(ws.plan(), latest_submissions(ws, 2023), 2023)
    assert values.values == result.values.values and values.natures == result.values.natures
    assert [w for w in warnings] == [w for w in result.warnings]
    assert any("“城镇新增就业人数”2022 年：邵阳县 未报该年数值" in w for w in result.warnings)
    assert result.values.value(JOBS, 2022) == D("1.1")
    assert {(r.code, r.value) for r in values.regions[JOBS][2023]} == {(r.code, r.value) for r in result.values.regions[JOBS][2023]}


def test_city_reports_render(exported, city, tmp_path):
    from desktop.exchange.city_reports import consolidated_progress_document, region_comparison_document

    with Workspace.open(city) as ws:
        import_submissions(ws, exported.values())
        result = consolidate(ws, 2023)
    progress = consolidated_progress_document(result)
    comparison = region_comparison_document(result)
    texts = [c.text for t in comparison.tables for row in t.header + t.body for c in row if c is not None]
    assert {"新邵县", "邵阳县", "3.6", "1.2", "2.4", "5.1", "4.9", "不可汇总"} <= set(texts)
    assert any(c is not None and c.text == "3.6" for t in progress.tables for row in t.body for c in row)
    try:
        from desktop.reports.pdf import render_pdf
        from desktop.reports.xlsx import render_xlsx
    except ImportError:  # the renderers are being finished elsewhere
        return
    for doc in (progress, comparison):
        assert render_xlsx(doc, tmp_path / f"{doc.kind}.xlsx").stat().st_size > 1000
        assert render_pdf(doc, tmp_path / f"{doc.kind}.pdf").stat().st_size > 1000


def test_export_from_a_read_only_workspace_and_never_onto_itself(counties, tmp_path):
    from desktop.domain.errors import ValueRefused

    with Workspace.open(counties["430522"], read_only=True) as ws:
        path = export_submission(ws, 2023, tmp_path)
        with pytest.raises(ValueRefused, match="不能与工作簿"):
            export_submission(ws, 2023, counties["430522"])
    assert verify_submission(path).ok
    with pytest.raises(ValueRefused, match="不在规划期"):
        with Workspace.open(counties["430522"]) as ws:
            export_submission(ws, 2030)


@pytest.mark.parametrize("overlap", [False, True], ids=["one-connection", "group-by-in-a-thread"])
def test_the_first_plan_year_consolidates_from_its_own_values(counties, city, tmp_path, overlap, monkeypatch):
    """Report year = the plan's first year: no earlier year to group, every cell from that year."""
    import sys

    from desktop.exchange import export_submission

    monkeypatch.setattr(sys.modules["desktop.exchange.consolidate"], "OVERLAP_MIN", 1 if overlap else 10**9)
    inbox = tmp_path / "inbox2021"
    inbox.mkdir()
    for path in counties.values():
        with Workspace.open(path) as county:
            export_submission(county, 2021, inbox)
    with Workspace.open(city) as ws:
        assert len(import_submissions(ws, [inbox]).imported) == 2
        result = consolidate(ws, 2021)
    jobs = next(i for i in result.indicators if i.code == JOBS)
    assert jobs.values == {2021: D("3.0")} and jobs.value == D("3.0")
    assert {r.name: r.value for r in jobs.regions} == {"新邵县": D("1.0"), "邵阳县": D("2.0")}


def test_a_partial_sum_and_a_not_summable_indicator_say_so(exported, city, tmp_path):
    """A year one region left empty is summed over the others and says which region is
    missing, where it is stored and in the consolidated report; an indicator that cannot be
    summed is 不可汇总 there, not 无数据 (the counties did send it)."""
    from desktop.exchange.city_reports import consolidated_progress_document
    from desktop.store import repository as repo

    gap = tmp_path / "gap.sqlite"  # 邵阳县 without its 2022 value
    resign(exported["430523"], gap, sql="DELETE FROM actual WHERE code = 'sy-zl2-01' AND year = 2022")
    with Workspace.open(city) as ws:
        import_submissions(ws, [exported["430522"], gap])
        result = consolidate(ws, 2023)
        write_consolidation(ws, result)
        stored = repo.read_actual(ws.connection, JOBS, 2022)
        full = repo.read_actual(ws.connection, JOBS, 2023)
    assert (stored.value, stored.source) == (D("1.1"), "汇总：1 个地区，缺 邵阳县（不完整）")
    assert (full.value, full.source) == (D("3.6"), "汇总：2 个地区")
    doc = consolidated_progress_document(result)
    table = next(b for b in doc.blocks if hasattr(b, "notes"))
    note = next(n for n in table.notes if n.startswith("本表实际值为 2 个下级地区"))
    assert note.endswith("以下汇总值不完整，只含报了该年数值的地区：城镇新增就业人数 2022 年（缺 邵阳县）。")
    survey_row = next(r for r in table.body if any(c is not None and c.text == "城镇调查失业率" for c in r))
    assert survey_row[-1].text == "不可汇总"
