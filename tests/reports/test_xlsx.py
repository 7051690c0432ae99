"""The Excel renderer, checked by independent readers: openpyxl reloads the workbook, and
LibreOffice converts it to PDF whose text pdftotext recovers."""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import time
import unicodedata
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.domain.errors import PlanLedgerError
from desktop.domain.fingerprint import fingerprint, grouped
from desktop.reports import xlsx as xlsx_module
from desktop.reports.layout import Cell, Document, Table, box_document, progress_document, submission_document
from desktop.reports.xlsx import render_xlsx
from desktop.store import actions
from desktop.store.create import new_workspace

SEED_T2 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "tables" / "zhejiang_t2_14th_talent_indicators.json"


# ---------------------------------------------------------------------------------------------
# fixtures (kept here so they cannot clash with tests/reports/conftest.py)


def _workspace(folder: Path, template: str):
    return new_workspace(folder / f"{template}.sqlite", template=template, region_code="430522", region_name="新邵县")


@pytest.fixture(scope="module")
def sy_ws(tmp_path_factory):
    ws = _workspace(tmp_path_factory.mktemp("xlsx-sy"), "sy-zl2")
    for year, value in ((2021, "4.8"), (2022, "5.0"), (2023, "5.2")):
        actions.set_actual(ws, "sy-zl2-01", year, Decimal(value))
    actions.set_actual(ws, "sy-zl2-06", 2023, Decimal("85.2"))
    return ws


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("xlsx-out")


@pytest.fixture(scope="module")
def progress_xlsx(sy_ws, out_dir) -> Path:
    return render_xlsx(progress_document(sy_ws.plan(), sy_ws.actuals(), 2023), out_dir / "sy-progress.xlsx")


@pytest.fixture(scope="module")
def box_xlsx(sy_ws, out_dir) -> Path:
    return render_xlsx(box_document(sy_ws.plan(), sy_ws.actuals(), "专栏2"), out_dir / "sy-box.xlsx")


@pytest.fixture(scope="module")
def zj_ws(tmp_path_factory):
    return _workspace(tmp_path_factory.mktemp("xlsx-zj"), "zj-t2")


@pytest.fixture(scope="module")
def zj_box_xlsx(zj_ws, out_dir) -> Path:
    return render_xlsx(box_document(zj_ws.plan(), zj_ws.actuals(), "表2"), out_dir / "zj-box.xlsx")


@pytest.fixture(scope="module")
def submission_xlsx(sy_ws, out_dir) -> Path:
    plan, actuals = sy_ws.plan(), sy_ws.actuals()
    doc = submission_document(plan, actuals, 2023, fingerprint(plan, actuals, 2023))
    return render_xlsx(doc, out_dir / "sy-submission.xlsx")


@pytest.fixture(scope="module")
def task_xlsx(tmp_path_factory, out_dir) -> Path:
    ws = _workspace(tmp_path_factory.mktemp("xlsx-jl"), "jl-zl3")
    return render_xlsx(box_document(ws.plan(), ws.actuals(), "专栏3"), out_dir / "jl-box3.xlsx")


def sheet(path: Path) -> Worksheet:
    return load_workbook(path).worksheets[0]


def find(ws: Worksheet, text: str, column: int | None = None) -> tuple[int, int]:
    for row in ws.iter_rows():
        for c in row:
            if c.value == text and (column is None or c.column == column):
                return c.row, c.column
    raise AssertionError(f"{text!r} not found")


def merged(ws: Worksheet) -> dict[str, tuple[int, int, int, int]]:
    return {str(r): (r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges}


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def boxed_cells(path: Path) -> set[str]:
    """Coordinates of the first sheet's cells with a thin border on all four sides, read from
    the raw XML: openpyxl's reader rebuilds the inner cells of a merged range with only the
    range's outer edges, so a reload cannot tell whether the file has them (FACTS: Excel/WPS
    need the border on every cell of the range)."""
    with zipfile.ZipFile(path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        sheet_xml = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    full = {
        i
        for i, b in enumerate(styles.find("m:borders", NS))
        if all((b.find(f"m:{side}", NS) is not None and b.find(f"m:{side}", NS).get("style") == "thin") for side in ("left", "right", "top", "bottom"))
    }
    xf_border = [int(xf.get("borderId", "0")) for xf in styles.find("m:cellXfs", NS)]
    return {c.get("r") for c in sheet_xml.iter(f"{{{NS['m']}}}c") if xf_border[int(c.get("s", "0"))] in full}


def fully_bordered(boxed: set[str], r: int, c: int) -> bool:
    return f"{get_column_letter(c)}{r}" in boxed


def header_rows(ws: Worksheet) -> tuple[int, int]:
    first, last = str(ws.print_title_rows).replace("$", "").split(":")
    return int(first), int(last)


# ---------------------------------------------------------------------------------------------
# layout: title, header merges, 一级指标 merges, borders


def test_title_row_is_merged_across_the_table_and_centred(progress_xlsx) -> None:
    ws = sheet(progress_xlsx)
    assert ws.title == "2023年进展"
    assert ws["A1"].value == "新邵县“十四五”规划主要指标2023年度进展情况"
    assert "A1:L1" in merged(ws)  # 12 columns: 6 + 3 years + 3
    assert ws["A1"].alignment.horizontal == "center"
    assert ws["A1"].font.name == "黑体"
    assert ws["A2"].value == "新邵县“十四五”人力资源和社会保障事业发展规划"


def test_box_caption_is_the_merged_title(box_xlsx) -> None:
    ws = sheet(box_xlsx)
    assert ws.title == "专栏2"
    assert ws["A1"].value == "专栏2　“十四五”规划发展主要指标"
    assert "A1:D1" in merged(ws)
    assert [ws.cell(row=2, column=c).value for c in range(1, 5)] == ["指标", "2020年", "2025年", "属性"]


def test_progress_header_merges(progress_xlsx) -> None:
    ws = sheet(progress_xlsx)
    top, second = header_rows(ws)
    assert second == top + 1
    ranges = merged(ws)
    r, c = find(ws, "实际值")
    assert r == top and c == 7
    assert f"G{top}:I{top}" in ranges  # over the three year columns
    assert [ws.cell(row=second, column=c).value for c in (7, 8, 9)] == ["2021年", "2022年", "2023年"]
    for col, text in zip("ABCDEFJKL", ("序号", "指标", "单位", "属性", "基期值", "目标值", "完成进度", "序时进度", "评估结论")):
        assert ws[f"{col}{top}"].value == text
        assert f"{col}{top}:{col}{second}" in ranges  # rowspan 2


def test_zhejiang_first_level_column_merges_match_the_seed(zj_box_xlsx) -> None:
    if not SEED_T2.is_file():
        pytest.skip(f"seed table not found at {SEED_T2}")
    seed = json.loads(SEED_T2.read_text(encoding="utf-8"))["table"]["rows"]
    expected = [(row["cells"][0], row["merge"]["rowspan"]) for row in seed if row.get("merge")]
    assert expected == [("人才总量", 7), ("人才结构", 4), ("人才效能和环境", 5)]
    ws = sheet(zj_box_xlsx)
    _, last_header = header_rows(ws)
    column_a = sorted(v for v in merged(ws).values() if v[1] == 1 and v[3] == 1)
    got = [(ws.cell(row=r0, column=1).value, r1 - r0 + 1) for r0, _, r1, _ in column_a]
    assert got == expected
    assert column_a[0][0] == last_header + 1
    # the merged ranges tile the body: 1–7, 8–11, 12–16, each next to its 序号
    for (r0, _, r1, _), first_seq in zip(column_a, ("1", "8", "12")):
        assert ws.cell(row=r0, column=2).value == first_seq
    assert ws.cell(row=column_a[-1][2], column=3).value == "人力资本投资占地区生产总值比例"


@pytest.mark.parametrize("name", ["progress_xlsx", "box_xlsx", "zj_box_xlsx", "submission_xlsx", "task_xlsx"])
def test_every_cell_of_every_bordered_merged_range_has_borders(name, request) -> None:
    path = request.getfixturevalue(name)
    ws, boxed = sheet(path), boxed_cells(path)
    bordered = 0
    for r0, c0, r1, c1 in merged(ws).values():
        if not fully_bordered(boxed, r0, c0):
            continue  # a text line (title, 注) is deliberately unboxed
        bordered += 1
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                assert fully_bordered(boxed, r, c), f"{ws.cell(row=r, column=c).coordinate} in {r0},{c0}:{r1},{c1}"
    assert bordered >= 1


def test_the_whole_table_grid_is_bordered(progress_xlsx, zj_box_xlsx) -> None:
    for path, last_name in ((progress_xlsx, "劳动保障监察举报投诉案件结案率"), (zj_box_xlsx, "人力资本投资占地区生产总值比例")):
        ws, boxed = sheet(path), boxed_cells(path)
        first, _ = header_rows(ws)
        last, _ = find(ws, last_name)
        ncols = max(c for _, _, _, c in merged(ws).values())
        for r in range(first, last + 1):
            for c in range(1, ncols + 1):
                assert fully_bordered(boxed, r, c), ws.cell(row=r, column=c).coordinate


def test_section_rows_are_bold_and_span_the_table(progress_xlsx) -> None:
    ws = sheet(progress_xlsx)
    r, c = find(ws, "一、就业")
    assert c == 1 and f"A{r}:L{r}" in merged(ws)
    assert ws.cell(row=r, column=1).font.b
    assert ws.cell(row=r, column=1).alignment.horizontal == "left"


def test_names_left_aligned_with_indented_sub_rows(progress_xlsx) -> None:
    ws = sheet(progress_xlsx)
    r, _ = find(ws, "城镇新增就业人数", column=2)
    assert ws.cell(row=r, column=2).alignment.horizontal == "left"
    assert ws.cell(row=r, column=2).alignment.wrap_text
    assert ws.cell(row=r, column=3).alignment.horizontal == "center"
    sub, _ = find(ws, "其中：农民工参加职业培训人次", column=2)
    assert ws.cell(row=sub, column=2).alignment.indent == 2


def test_column_widths_follow_the_layout(progress_xlsx, sy_ws) -> None:
    ws = sheet(progress_xlsx)
    widths = progress_document(sy_ws.plan(), sy_ws.actuals(), 2023).tables[0].widths
    got = [ws.column_dimensions[col].width for col in "ABCDEFGHIJKL"]
    assert got == pytest.approx([w * 2 + 1 for w in widths])


# ---------------------------------------------------------------------------------------------
# print setup


def test_print_setup_survives_the_round_trip(progress_xlsx) -> None:
    ws = sheet(progress_xlsx)
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert header_rows(ws) == (3, 4)  # title, subtitle, then the two header rows
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.page_margins.left > 0 and ws.page_margins.bottom > 0
    assert str(ws.print_area).replace("$", "").split("!")[-1].startswith("A1:L")


def test_box_table_prints_portrait(box_xlsx) -> None:
    ws = sheet(box_xlsx)
    assert ws.page_setup.orientation == "portrait"
    assert header_rows(ws) == (2, 2)


# ---------------------------------------------------------------------------------------------
# values: numeric cells numeric, targets text as written


def test_numeric_cells_are_numbers_with_formats(progress_xlsx) -> None:
    ws = sheet(progress_xlsx)
    r, _ = find(ws, "城镇新增就业人数", column=2)
    v2021 = ws.cell(row=r, column=7)
    assert isinstance(v2021.value, float) and v2021.value == 4.8 and v2021.number_format == "0.0"
    base = ws.cell(row=r, column=5)
    assert base.value == 4.72 and base.number_format == "0.00"
    completion = ws.cell(row=r, column=10)
    assert isinstance(completion.value, float) and completion.number_format == "0.0%"
    assert completion.value == pytest.approx(15 / 23.5)  # 累计: (4.8 + 5.0 + 5.2) ÷ 23.5 = 0.638…
    assert ws.cell(row=r, column=11).value == pytest.approx(0.6)


def test_targets_stay_text_as_written(progress_xlsx, box_xlsx) -> None:
    ws = sheet(progress_xlsx)
    r1, _ = find(ws, "城镇新增就业人数", column=2)
    r2, _ = find(ws, "城镇调查失业率", column=2)
    assert ws.cell(row=r1, column=6).value == "[>23.5]" and ws.cell(row=r1, column=6).data_type == "s"
    assert ws.cell(row=r2, column=6).value == "<5.5"
    box = sheet(box_xlsx)
    r, _ = find(box, "1.城镇新增就业人数（万人）", column=1)
    assert box.cell(row=r, column=2).value == 4.72
    assert box.cell(row=r, column=3).value == "[>23.5]"


def test_no_actuals_prints_no_data_not_zeros(tmp_path) -> None:
    ws = _workspace(tmp_path, "sy-zl2")
    out = render_xlsx(progress_document(ws.plan(), ws.actuals(), 2023), tmp_path / "empty.xlsx")
    sh = sheet(out)
    _, last_header = header_rows(sh)
    last, _ = find(sh, "劳动保障监察举报投诉案件结案率", column=2)
    statuses = []
    for r in range(last_header + 1, last + 1):
        if sh.cell(row=r, column=2).value is None:
            continue  # a section row
        for c in range(1, 13):
            assert sh.cell(row=r, column=c).value not in (0, 0.0), sh.cell(row=r, column=c).coordinate
        assert [sh.cell(row=r, column=c).value for c in (7, 8, 9, 10)] == ["—"] * 4
        statuses.append(sh.cell(row=r, column=12).value)
    assert statuses and set(statuses) == {"无数据"}


def test_indicator_order_equals_the_template_order(progress_xlsx, sy_ws) -> None:
    ws = sheet(progress_xlsx)
    _, last_header = header_rows(ws)
    names = []
    for (value,) in ws.iter_rows(min_row=last_header + 1, min_col=2, max_col=2, values_only=True):
        if isinstance(value, str) and value:
            names.append(value.removeprefix("其中："))
    assert names == [i.name for i in sy_ws.plan().indicators]


# ---------------------------------------------------------------------------------------------
# the 说明 sheet, the submission report, task boxes


def test_method_notes_sheet(progress_xlsx, sy_ws) -> None:
    wb = load_workbook(progress_xlsx)
    assert wb.sheetnames[1] == "说明"
    texts = [v for row in wb["说明"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    doc = progress_document(sy_ws.plan(), sy_ws.actuals(), 2023)
    assert doc.method_notes and all(n in texts for n in doc.method_notes)
    assert any("规划指标台账" in t for t in texts) and any(t.startswith("生成时间") for t in texts)
    # the notes also print under the table
    main = [v for row in wb.worksheets[0].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert "注：" in main and any(t.endswith(doc.method_notes[0]) for t in main)


def test_submission_cover_stamp_and_fingerprint(submission_xlsx, sy_ws) -> None:
    ws = sheet(submission_xlsx)
    assert ws.page_setup.orientation == "landscape"
    plan, actuals = sy_ws.plan(), sy_ws.actuals()
    texts = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    for label in ("填报单位", "负责人", "填报人", "联系电话", "报送日期"):
        assert label in texts
    assert grouped(fingerprint(plan, actuals, 2023)) in texts
    r, c = find(ws, "（盖章）")
    stamp = next(v for v in merged(ws).values() if v[:2] == (r, c))
    assert stamp[2] - stamp[0] + 1 == 5  # the seal area spans the five cover rows
    first, _ = header_rows(ws)
    assert ws.cell(row=first, column=1).value == "序号"


def test_task_box_is_a_bordered_list(task_xlsx) -> None:
    ws, boxed = sheet(task_xlsx), boxed_cells(task_xlsx)
    assert ws["A1"].value == "专栏3　培育吉林现代工匠"
    items = [(r, v) for r, (v,) in enumerate(ws.iter_rows(min_row=2, max_col=1, values_only=True), 2) if v]
    assert [v.split(".", 1)[0] for _, v in items] == ["1", "2", "3"]
    ranges = merged(ws)
    for r, _ in items:
        assert f"A{r}:F{r}" in ranges and ws.cell(row=r, column=1).alignment.wrap_text
        assert all(fully_bordered(boxed, r, c) for c in range(1, 7))
    assert ws.row_dimensions[items[0][0]].height > ws.row_dimensions[items[2][0]].height  # long item wraps


def test_very_long_name_wraps_in_a_taller_row(tmp_path) -> None:
    long_name = "新增取得高级工以上职业资格证书或职业技能等级证书人数" * 4
    table = Table("专栏9　测试", ((Cell("指标", bold=True), Cell("2025年", bold=True)),), ((Cell(long_name, align="left"), Cell("1")), (Cell("短", align="left"), Cell("2"))), (20.0, 6.0))
    ws = sheet(render_xlsx(Document("box", "测试", (table,)), tmp_path / "long.xlsx"))
    assert ws["A3"].value == long_name and ws["A3"].alignment.wrap_text
    assert ws.row_dimensions[3].height >= 4 * ws.row_dimensions[4].height


# ---------------------------------------------------------------------------------------------
# writing the file


def test_missing_folder_is_a_chinese_error_naming_the_path(tmp_path) -> None:
    doc = Document("box", "测试", ())
    target = tmp_path / "没有这个文件夹" / "r.xlsx"
    with pytest.raises(PlanLedgerError, match="没有这个文件夹") as info:
        render_xlsx(doc, target)
    assert "不存在" in info.value.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_read_only_folder_is_a_chinese_error(tmp_path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(PlanLedgerError, match="只读") as info:
            render_xlsx(Document("box", "测试", ()), folder / "r.xlsx")
        assert "不可写入" in info.value.message
    finally:
        folder.chmod(0o755)


def test_unwritable_folder_is_a_chinese_error_even_as_root(tmp_path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_module.tempfile, "mkstemp", refuse)
    with pytest.raises(PlanLedgerError) as info:
        render_xlsx(Document("box", "测试", ()), tmp_path / "r.xlsx")
    assert str(tmp_path) in info.value.message and "不可写入" in info.value.message


def test_file_open_elsewhere_is_a_chinese_error_and_leaves_no_temp(tmp_path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_module.os, "replace", refuse)
    target = tmp_path / "r.xlsx"
    with pytest.raises(PlanLedgerError, match="WPS") as info:
        render_xlsx(Document("box", "测试", ()), target)
    assert str(target) in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_overwrites_atomically_and_leaves_no_temp_files(tmp_path, sy_ws) -> None:
    doc = box_document(sy_ws.plan(), sy_ws.actuals(), "专栏2")
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")
    assert render_xlsx(doc, target) == target
    assert load_workbook(target).sheetnames == ["专栏2", "说明"]
    [backup] = [p for p in tmp_path.iterdir() if p != target]  # the old file is kept, no temp file left
    assert backup.name.startswith("r.备份-") and backup.suffix == ".xlsx"
    assert backup.read_bytes() == b"old"


def test_large_table_is_linear(tmp_path) -> None:
    """2,000 styled rows: ws.max_row inside the loop would make this quadratic."""
    tree = ast.parse(Path(xlsx_module.__file__).read_text(encoding="utf-8"))
    used = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not used & {"max_row", "max_column", "iter_rows"}
    body = tuple((Cell(str(i)), Cell(f"指标{i}", align="left"), Cell(str(i / 10), number=Decimal(i) / 10, number_format="0.0")) for i in range(2000))
    doc = Document("box", "大表", (Table("专栏　大表", ((Cell("序号"), Cell("指标"), Cell("数值")),), body, (3.0, 12.0, 6.0)),))
    started = time.perf_counter()
    render_xlsx(doc, tmp_path / "big.xlsx")
    assert time.perf_counter() - started < 10
    ws = sheet(tmp_path / "big.xlsx")
    assert ws.cell(row=2 + 2000, column=3).value == pytest.approx(199.9)  # caption, header, 2,000 rows


# ---------------------------------------------------------------------------------------------
# LibreOffice: an independent reader converts our workbooks to PDF


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def libreoffice_pdfs(progress_xlsx, zj_box_xlsx, tmp_path_factory) -> dict[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext not installed")
    out = tmp_path_factory.mktemp("lo-pdf")
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(progress_xlsx), str(zj_box_xlsx)],
            check=True, capture_output=True, timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    texts = {}
    for src in (progress_xlsx, zj_box_xlsx):
        pdf = out / (src.stem + ".pdf")
        assert pdf.is_file(), f"LibreOffice did not convert {src.name}"
        texts[src.stem] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return texts


def test_libreoffice_pdf_contains_every_indicator_name(libreoffice_pdfs, sy_ws, zj_ws) -> None:
    for stem, ws in (("sy-progress", sy_ws), ("zj-box", zj_ws)):
        text = _squash(libreoffice_pdfs[stem])
        missing = [i.name for i in ws.plan().indicators if _squash(i.name) not in text]
        assert missing == [], f"{stem}: {missing}"


def test_libreoffice_pdf_keeps_title_targets_and_footer(libreoffice_pdfs) -> None:
    text = _squash(libreoffice_pdfs["sy-progress"])
    assert _squash("新邵县“十四五”规划主要指标2023年度进展情况") in text
    assert "[>23.5]" in text and "63.8%" in text and "无数据" in text
    assert _squash("第 1 页，共") in text
