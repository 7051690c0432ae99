"""The city's reports (汇总进展情况表, 地区对比表) through `planledger report`, checked in the
files themselves: pdfplumber for the printed figures, pdffonts for the fonts, openpyxl for the
numeric cells; and the province one level up."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.exchange import consolidate, export_submission, import_submissions, write_consolidation
from desktop.exchange.city_reports import MAX_REGIONS_PER_TABLE, region_comparison_document
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace

from .conftest import COUNTIES, JOBS, SURVEY, UNEMP_INS

pdfplumber = pytest.importorskip("pdfplumber")
openpyxl = pytest.importorskip("openpyxl")

D = Decimal
NAMES = {code: c[0] for code, c in COUNTIES.items()}
# hand-computed from the two counties' values (tests/exchange/conftest.py)
JOBS_2023 = sum(D(c[1][2]) for c in COUNTIES.values())  # 1.2 + 2.4
JOBS_BY_YEAR = {y: sum(D(c[1][i]) for c in COUNTIES.values()) for i, y in enumerate((2021, 2022, 2023))}
INSURED_2023 = sum(D(c[3]) for c in COUNTIES.values())  # 3.5 + 4.25
JOBS_NAME, INSURED_NAME, SURVEY_NAME = "城镇新增就业人数", "失业保险参保人数", "城镇调查失业率"


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@pytest.fixture
def city_in(exported, city) -> Path:
    with Workspace.open(city) as ws:
        report = import_submissions(ws, exported.values())
        assert [i.status for i in report.items] == ["imported", "imported"]
    return city


def pdf_rows(pdf: Path) -> list[list[str]]:
    """Every table row on every page, cells normalised."""
    rows: list[list[str]] = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for table in page.extract_tables():
                rows += [[norm(c) for c in row] for row in table]
    return rows


def row_of(rows: list[list[str]], name: str) -> list[str]:
    found = [r for r in rows if name in r]
    assert found, f"no row “{name}” in {rows[:3]}…"
    return found[0]


def assert_fonts_embedded(pdf: Path) -> None:
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts not installed")
    lines = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        fields = line.split()
        assert (fields[-5], fields[-3]) == ("yes", "yes"), f"{pdf.name}: {line}"
        assert "Noto" in fields[0], line


def sheet_rows(xlsx: Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(xlsx)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def xlsx_row(rows: list[list[object]], name: str) -> list[object]:
    found = [r for r in rows if name in r]
    assert found, name
    return found[0]


def numbers(row: list[object]) -> list[Decimal]:
    """The numeric cells of a row (booleans excluded), as exact decimals of what Excel holds."""
    return [D(str(v)) for v in row if isinstance(v, (int, float)) and not isinstance(v, bool)]


def run_cli(args: list[str], capsys) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


# ---------------------------------------------------------------------------------------------


def test_consolidated_report_prints_the_hand_computed_sums(city_in, tmp_path, capsys):
    pdf, xlsx = tmp_path / "汇总.pdf", tmp_path / "汇总.xlsx"
    code, err = run_cli(["report", str(city_in), "--kind", "consolidated", "--year", "2023",
                         "--pdf", str(pdf), "--xlsx", str(xlsx)], capsys)
    assert code == 0, err
    assert f"已生成汇总进展情况表：{pdf}" in err and f"已生成汇总进展情况表：{xlsx}" in err
    assert_fonts_embedded(pdf)
    # the PDF: 2021, 2022, 2023 actual columns of 城镇新增就业人数 are the sums of the counties' values
    rows = pdf_rows(pdf)
    assert JOBS_BY_YEAR == {2021: D("3.0"), 2022: D("3.3"), 2023: D("3.6")}
    jobs = row_of(rows, JOBS_NAME)
    assert [D(t) for t in jobs[6:9]] == [JOBS_BY_YEAR[y] for y in (2021, 2022, 2023)]
    assert jobs[9] == "42.1%"  # (3 + 3.3 + 3.6) ÷ 23.5 by the progress module
    assert str(INSURED_2023) == row_of(rows, INSURED_NAME)[8]  # 3.5 + 4.25 = 7.75
    with pdfplumber.open(pdf) as doc:
        text = norm("".join(p.extract_text() or "" for p in doc.pages))
    assert "邵阳市“十四五”规划主要指标2023年度进展情况(汇总)" in text
    assert "2个下级地区(新邵县、邵阳县)2023年最新一版报送数值的汇总" in text
    # Excel: the same figures, as numeric cells
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[0] == "2023年汇总进展"
    cells = xlsx_row(sheet_rows(xlsx), JOBS_NAME)
    assert numbers(cells)[1:4] == [JOBS_BY_YEAR[y] for y in (2021, 2022, 2023)]  # after 基期值 4.72
    assert D(str(xlsx_row(sheet_rows(xlsx), INSURED_NAME)[8])) == INSURED_2023


def test_comparison_report_lists_both_counties_and_the_total(city_in, tmp_path, capsys):
    pdf, xlsx = tmp_path / "对比.pdf", tmp_path / "对比.xlsx"
    code, err = run_cli(["report", str(city_in), "--kind", "comparison", "--pdf", str(pdf), "--xlsx", str(xlsx)], capsys)
    assert code == 0, err  # no --year: the latest year with submissions (2023)
    assert_fonts_embedded(pdf)
    rows = pdf_rows(pdf)
    header = row_of(rows, "指标")
    assert header == ["指标", "单位", "新邵县", "邵阳县", "邵阳市汇总", "汇总规则"]
    jobs = row_of(rows, JOBS_NAME)
    assert [D(t) for t in jobs[2:5]] == [D("1.2"), D("2.4"), JOBS_2023]
    assert jobs[5] == "求和"
    assert row_of(rows, SURVEY_NAME)[2:5] == ["5.1", "4.9", "不可汇总"]  # listed per region, never summed
    insured = row_of(rows, INSURED_NAME)
    assert D(insured[4]) == INSURED_2023
    with pdfplumber.open(pdf) as doc:
        text = norm(doc.pages[0].extract_text())
    assert "邵阳市2023年规划指标地区对比表" in text
    # Excel: one table, numbers numeric
    sheet = sheet_rows(xlsx)
    assert xlsx_row(sheet, "指标")[:6] == ["指标", "单位", "新邵县", "邵阳县", "邵阳市汇总", "汇总规则"]
    assert numbers(xlsx_row(sheet, JOBS_NAME)) == [D("1.2"), D("2.4"), JOBS_2023]
    assert numbers(xlsx_row(sheet, INSURED_NAME)) == [D("3.5"), D("4.25"), INSURED_2023]
    assert numbers(xlsx_row(sheet, SURVEY_NAME)) == [D("5.1"), D("4.9")]


def test_fonts_option_is_respected(city_in, tmp_path, capsys):
    import resources

    sans = next(p for p in resources.font_files() if p.name == "NotoSansSC-Regular.ttf")
    pdf = tmp_path / "sans.pdf"
    code, err = run_cli(["report", str(city_in), "--kind", "comparison", "--body-font", str(sans), "--pdf", str(pdf)], capsys)
    assert code == 0, err
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout if shutil.which("pdffonts") else ""
    if out:
        assert "NotoSansSC-Regular" in out and "NotoSerifSC" not in out


def test_a_county_workspace_gets_a_clear_message(counties, tmp_path, capsys):
    for kind in ("consolidated", "comparison"):
        code, err = run_cli(["report", str(counties["430522"]), "--kind", kind, "--pdf", str(tmp_path / "x.pdf")], capsys)
        assert code == 2
        assert "“新邵县”的工作簿还没有导入任何下级地区的报送文件" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_a_year_without_submissions_and_misused_options_are_refused(city_in, tmp_path, capsys):
    code, err = run_cli(["report", str(city_in), "--kind", "comparison", "--year", "2022", "--pdf", str(tmp_path / "x.pdf")], capsys)
    assert code == 2 and "2022 年没有导入下级地区的报送文件" in err and "已导入报送文件的年份：2023" in err
    code, err = run_cli(["report", str(city_in), "--kind", "consolidated", "--box", "专栏2", "--pdf", str(tmp_path / "x.pdf")], capsys)
    assert code == 2 and "--box 只用于 --kind box" in err
    code, err = run_cli(["report", str(city_in), "--kind", "consolidated"], capsys)
    assert code == 2 and "请至少指定一个输出文件" in err
    code, err = run_cli(["report", str(city_in), "--kind", "comparison", "--pdf", str(tmp_path / "no" / "x.pdf")], capsys)
    assert code == 2 and "文件夹" in err and "不存在" in err


def test_many_regions_split_in_the_pdf_one_table_in_excel(city_in):
    """More regions than fit a landscape page: the PDF's comparison is several tables of at most
    ``MAX_REGIONS_PER_TABLE`` regions (balanced, 指标 repeated, the 汇总 in the last), Excel keeps one."""
    with Workspace.open(city_in, read_only=True) as ws:
        result = consolidate(ws, 2023)
    one = region_comparison_document(result)
    split = region_comparison_document(result, max_regions=1)
    assert len(one.tables) == 1 and len(split.tables) == 2
    first, last = split.tables
    assert [c.text for c in first.header[0]] == ["指标", "单位", "新邵县"] and first.notes == ()
    assert [c.text for c in last.header[0]] == ["指标", "单位", "邵阳县", "邵阳市汇总", "汇总规则"] and last.notes
    assert first.caption.startswith("（1/2）") and len(first.widths) == 3 and len(last.widths) == 5
    assert MAX_REGIONS_PER_TABLE >= 10  # a city's 10–12 counties print as one table
    from desktop.exchange.city_reports import _parts

    regions = [(str(i), f"县{i}") for i in range(14)]
    assert [len(p) for p in _parts(regions, MAX_REGIONS_PER_TABLE)] == [7, 7]  # balanced, not 12 + 2
    assert [len(p) for p in _parts(regions[:12], MAX_REGIONS_PER_TABLE)] == [12]


def test_province_imports_the_city_and_prints_its_reports(exported, city, tmp_path, capsys):
    """Recursive: the city writes its consolidation and exports (with its counties' detail); the
    province imports the city's file and its comparison lists the city."""
    with Workspace.open(city) as ws:
        import_submissions(ws, exported.values())
        write_consolidation(ws, consolidate(ws, 2023))
        city_file = export_submission(ws, 2023, tmp_path / "city_2023.sqlite")
    province = tmp_path / "province.sqlite"
    new_workspace(province, template="sy-zl2", region_code="430000", region_name="湖南省").close()
    assert main(["import", str(province), str(city_file)]) == 0
    pdf, xlsx = tmp_path / "省对比.pdf", tmp_path / "省对比.xlsx"
    code, err = run_cli(["report", str(province), "--kind", "comparison", "--pdf", str(pdf), "--xlsx", str(xlsx)], capsys)
    assert code == 0, err
    rows = pdf_rows(pdf)
    assert row_of(rows, "指标")[2:4] == ["邵阳市", "湖南省汇总"]
    assert [D(t) for t in row_of(rows, JOBS_NAME)[2:4]] == [JOBS_2023, JOBS_2023]
    assert numbers(xlsx_row(sheet_rows(xlsx), INSURED_NAME)) == [INSURED_2023, INSURED_2023]
    code, err = run_cli(["report", str(province), "--kind", "consolidated", "--pdf", str(tmp_path / "省汇总.pdf")], capsys)
    assert code == 0, err
    assert [D(t) for t in row_of(pdf_rows(tmp_path / "省汇总.pdf"), JOBS_NAME)[6:9]] == [D(3), D("3.3"), D("3.6")]


def test_sixteen_regions_print_legibly_in_two_tables(city_in, tmp_path):
    """A province with 16 cities (synthetic figures): the PDF splits into two tables of 8, every
    region and every figure printed, names on one page width; Excel keeps one table."""
    import dataclasses

    from desktop.exchange.city_reports import CityReport
    from desktop.exchange.combine import RegionValue, RegionValues

    with Workspace.open(city_in, read_only=True) as ws:
        result = consolidate(ws, 2023)
    names = [f"示例{i}区" for i in range(1, 16)] + ["城步苗族自治县"]
    regions = [(f"4305{i:02d}", n) for i, n in enumerate(names, 1)]
    result.submissions = [RegionValues(c, n, {}) for c, n in regions]
    result.indicators = [
        dataclasses.replace(ind, regions=[RegionValue(c, n, D(1000 * i + k) / 100) for k, (c, n) in enumerate(regions)])
        for i, ind in enumerate(result.indicators)
    ]
    pdf, xlsx = tmp_path / "16.pdf", tmp_path / "16.xlsx"
    assert CityReport("comparison", result).write(pdf=pdf, xlsx=xlsx) == [pdf, xlsx]
    assert_fonts_embedded(pdf)
    headers = [r for r in pdf_rows(pdf) if r[:2] == ["指标", "单位"]]
    assert [len(h) for h in headers] == [2 + 8, 2 + 8 + 2]
    assert [n for h in headers for n in h[2:] if n not in ("邵阳市汇总", "汇总规则")] == names
    jobs = [r for r in pdf_rows(pdf) if r[0] == JOBS_NAME]
    assert jobs[0][2:] + jobs[1][2:10] == [str(D(k) / 100) for k in range(16)]
    sheet = sheet_rows(xlsx)
    assert len(xlsx_row(sheet, "指标")) >= 2 + 16 + 2 and [v for v in xlsx_row(sheet, "指标") if v][2:18] == names
