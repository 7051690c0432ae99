"""The PDF reports, checked with independent readers: pdffonts and qpdf (poppler/qpdf),
pdfplumber for the text and its position, pdftoppm + zbarimg for the QR code.

Every external tool is optional: a test that needs one is skipped cleanly when it is absent.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from desktop.domain.errors import PlanLedgerError
from desktop.domain.fingerprint import fingerprint
from desktop.reports.fonts import FontRefused, MissingGlyph, ReportFonts, missing_glyphs, register
from desktop.reports.layout import box_document, progress_document, submission_document
from desktop.reports.pdf import OutputRefused, render_pdf

from .conftest import long_plan, renamed

pdfplumber = pytest.importorskip("pdfplumber")

MM = 72 / 25.4


def needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed")
    return path


def norm(text: str) -> str:
    """NFKC, whitespace removed: what the tests compare."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [norm(p.extract_text() or "") for p in doc.pages]


def verticals(page) -> list[float]:
    """x positions of the table's vertical rules on a page."""
    xs = {round(e["x0"], 1) for e in page.edges if abs(e["x0"] - e["x1"]) < 0.1 and abs(e["top"] - e["bottom"]) > 3}
    return sorted(xs)


def column_text(page, header: str) -> str:
    """The text of the table column whose header cell reads ``header``, read top to bottom
    (a wrapped name stays contiguous), normalised."""
    words = [w for w in page.extract_words() if norm(w["text"]) == header]
    assert words, f"no header “{header}” on page {page.page_number}"
    word = words[0]
    xs = verticals(page)
    left = max(x for x in xs if x <= word["x0"])
    right = min(x for x in xs if x >= word["x1"])
    rules = [e for e in page.edges if abs(e["x0"] - e["x1"]) < 0.1 and abs(e["x0"] - right) < 0.2]
    top, bottom = min(e["top"] for e in rules), max(e["bottom"] for e in rules)  # the table, not the notes
    return norm(page.crop((left + 0.5, top, right - 0.5, bottom)).extract_text() or "")


def names_in_order(text: str, names: list[str]) -> None:
    pos = 0
    for name in names:
        found = text.find(norm(name), pos)
        assert found >= 0, f"“{name}” missing or out of order after position {pos}: {text[pos:pos + 80]}"
        pos = found + len(norm(name))


# ---------------------------------------------------------------------------------------------
# rendered once per session


@pytest.fixture(scope="session")
def sy_pdfs(sy_zl2, report_dir):
    plan, actuals = sy_zl2.plan(), sy_zl2.actuals()
    fp = fingerprint(plan, actuals, 2023)
    return {
        "box": render_pdf(box_document(plan, actuals, "专栏2"), report_dir / "sy-box.pdf"),
        "progress": render_pdf(progress_document(plan, actuals, 2023), report_dir / "sy-progress.pdf"),
        "submission": render_pdf(submission_document(plan, actuals, 2023, fp), report_dir / "sy-submission.pdf"),
        "fingerprint": fp,
    }


@pytest.fixture(scope="session")
def zj_box_pdf(zj_t2, report_dir):
    return render_pdf(box_document(zj_t2.plan(), zj_t2.actuals(), "表2"), report_dir / "zj-box.pdf")


@pytest.fixture(scope="session")
def long_pdf(sy_zl2, report_dir):
    plan = long_plan(sy_zl2.plan())
    return plan, render_pdf(progress_document(plan, {}, 2023), report_dir / "long.pdf")


def all_pdfs(sy_pdfs, zj_box_pdf, long_pdf) -> list[Path]:
    return [sy_pdfs["box"], sy_pdfs["progress"], sy_pdfs["submission"], zj_box_pdf, long_pdf[1]]


# ---------------------------------------------------------------------------------------------
# file-level checks


def assert_fonts_embedded(pdf: Path) -> None:
    """pdffonts: every font embedded with a ToUnicode map, and only our bundled fonts."""
    pdffonts = needs("pdffonts")
    lines = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines, f"{pdf.name}: no fonts listed"
    for line in lines:
        fields = line.split()
        emb, uni = fields[-5], fields[-3]
        assert (emb, uni) == ("yes", "yes"), f"{pdf.name}: font not embedded / no ToUnicode: {line}"
        assert "Noto" in fields[0], f"{pdf.name}: unexpected font {fields[0]}"


def test_every_font_is_embedded(sy_pdfs, zj_box_pdf, long_pdf):
    for pdf in all_pdfs(sy_pdfs, zj_box_pdf, long_pdf):
        assert_fonts_embedded(pdf)


def test_qpdf_check_passes(sy_pdfs, zj_box_pdf, long_pdf):
    qpdf = needs("qpdf")
    for pdf in all_pdfs(sy_pdfs, zj_box_pdf, long_pdf):
        run = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert run.returncode == 0, f"{pdf.name}: {run.stdout}{run.stderr}"


def test_metadata_and_page_geometry(sy_pdfs):
    with pdfplumber.open(sy_pdfs["box"]) as doc:
        assert doc.metadata["Author"] == "规划指标台账"
        assert "专栏2" in doc.metadata["Title"]
        page = doc.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)  # A4 portrait
        xs = verticals(page)  # GB/T 9704: 订口 28 mm, 版心 156 mm wide
        assert xs[0] == pytest.approx(28 * MM, abs=1)
        assert xs[-1] == pytest.approx((28 + 156) * MM, abs=1)
        top = min(e["top"] for e in page.edges)
        assert top >= 37 * MM - 1  # 天头 37 mm (the caption sits above the table)
    with pdfplumber.open(sy_pdfs["progress"]) as doc:
        assert doc.pages[0].width > doc.pages[0].height  # landscape


# ---------------------------------------------------------------------------------------------
# text, order, pages


def test_box_rows_in_order_on_one_portrait_page(sy_zl2, sy_pdfs):
    texts = page_texts(sy_pdfs["box"])
    assert len(texts) == 1, "the 14-row 邵阳 专栏2 fits one page"
    with pdfplumber.open(sy_pdfs["box"]) as doc:
        col = column_text(doc.pages[0], "指标")
    names_in_order(col, [i.name for i in sy_zl2.plan().indicators])
    assert "一、就业" in texts[0] and "四、劳动关系" in texts[0]
    assert "[>23.5]" in texts[0] and "—1—" in texts[0]


def test_progress_rows_in_order(sy_zl2, sy_pdfs):
    with pdfplumber.open(sy_pdfs["progress"]) as doc:
        assert len(doc.pages) <= 2
        col = "".join(column_text(p, "指标") for p in doc.pages if "评估结论" in norm(p.extract_text()))
    names_in_order(col, [i.name for i in sy_zl2.plan().indicators])


def test_zhejiang_merged_first_level_column(zj_t2, zj_box_pdf):
    with pdfplumber.open(zj_box_pdf) as doc:
        page = doc.pages[0]
        col = column_text(page, "二级指标")
        first = column_text(page, "一级指标")
        text = norm(page.extract_text())
    names_in_order(col, [i.name for i in zj_t2.plan().indicators])
    assert first.count("人才总量") == 1 and first.count("人才结构") == 1  # merged cells, printed once
    assert "注:" in text or "注：" in text


def test_long_table_repeats_header_and_never_splits_a_row(long_pdf):
    plan, pdf = long_pdf
    names = [norm(i.name) for i in plan.indicators]
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 2
        columns = [column_text(p, "指标") for p in doc.pages if "评估结论" in norm(p.extract_text())]
        page2 = norm(doc.pages[1].extract_text())
    assert len(columns) >= 2
    head = page2[: page2.find(names[0][:4]) if names[0][:4] in page2 else 60]
    for label in ("序号", "指标", "实际值", "完成进度", "评估结论"):
        assert label in head, f"page 2 does not start with the header: {page2[:80]}"
    for name in names:
        pages = [n for n, col in enumerate(columns) if name in col]
        assert len(pages) == 1, f"“{name}” found whole on pages {pages}"
    names_in_order("".join(columns), [i.name for i in plan.indicators])


def test_no_actuals_prints_no_data(sy_zl2_empty, tmp_path):
    plan = sy_zl2_empty.plan()
    pdf = render_pdf(progress_document(plan, sy_zl2_empty.actuals(), 2023), tmp_path / "empty.pdf")
    with pdfplumber.open(pdf) as doc:
        status = "".join(column_text(p, "评估结论") for p in doc.pages if "评估结论" in norm(p.extract_text()))
        year_col = column_text(doc.pages[0], "2021年")
    assert status.count("无数据") == len(plan.indicators)
    assert set(year_col.replace("2021年", "")) == {"—"}  # not zeros


def test_jilin_task_boxes_print_every_item(jl_zl3, tmp_path):
    plan = jl_zl3.plan()
    for box in plan.boxes:
        doc = box_document(plan, jl_zl3.actuals(), box.label)
        pdf = render_pdf(doc, tmp_path / f"{box.label}.pdf")
        text = "".join(page_texts(pdf))
        assert norm(box.label) in text
        for item in doc.blocks[0].items:
            assert norm(item) in text, f"{box.label}: item missing: {item}"
    if shutil.which("pdffonts"):
        assert_fonts_embedded(pdf)


# ---------------------------------------------------------------------------------------------
# submission report: page labels, fingerprint, QR


def test_submission_page_labels_and_cover(sy_pdfs):
    texts = page_texts(sy_pdfs["submission"])
    total = len(texts)
    for n, text in enumerate(texts, 1):
        assert f"第{n}页共{total}页" in text
    for label in ("填报单位", "负责人", "填报人", "联系电话", "报送日期", "(盖章)"):
        assert label in texts[0]


def test_fingerprint_text_and_qr_code(sy_pdfs, tmp_path):
    pdftoppm, zbarimg = needs("pdftoppm"), needs("zbarimg")
    fp = sy_pdfs["fingerprint"]
    texts = page_texts(sy_pdfs["submission"])
    assert fp in texts[-1]
    subprocess.run([pdftoppm, "-r", "100", "-png", "-f", str(len(texts)), "-l", str(len(texts)), str(sy_pdfs["submission"]), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    run = subprocess.run([zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)], capture_output=True, text=True)
    assert run.stdout.strip() == fp


# ---------------------------------------------------------------------------------------------
# bad input


def test_missing_glyph_fails_naming_the_character(sy_zl2, tmp_path):
    plan = sy_zl2.plan()
    code = plan.indicators[0].code
    odd = renamed(plan, {code: "城镇新增就业人数𠀀"})
    with pytest.raises(MissingGlyph) as info:
        render_pdf(box_document(odd, sy_zl2.actuals(), "专栏2"), tmp_path / "glyph.pdf")
    message = info.value.message
    assert isinstance(info.value, PlanLedgerError)
    assert "𠀀" in message and "U+20000" in message and "城镇新增就业人数" in message
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file


def test_every_template_renders_every_report(tmp_path):
    """Each bundled template's boxes, progress table and submission report render: no
    character of a template, a label or a method note is missing from the fonts."""
    from resources import template_names

    from .conftest import _workspace

    for name in template_names():
        ws = _workspace(tmp_path, name)
        plan, actuals = ws.plan(), ws.actuals()
        year = min(plan.end_year, plan.start_year + 2)
        docs = [box_document(plan, actuals, b.label) for b in plan.boxes]
        docs += [progress_document(plan, actuals, year), submission_document(plan, actuals, year, "0" * 64)]
        for n, doc in enumerate(docs):
            out = render_pdf(doc, tmp_path / f"{name}-{n}.pdf")
            assert out.stat().st_size > 1000


def test_status_words_and_marks_have_outlines():
    from desktop.domain.progress import Status
    from desktop.reports.layout import BINDING_MARK

    fonts = register()
    words = "".join(s.value for s in Status) + BINDING_MARK + "—" + "［］（）＞＜≥≤％：，。、“”·±÷"
    for face in (fonts.face(fonts.body), fonts.face(fonts.heading)):
        assert missing_glyphs(words, face) == []


def test_missing_glyphs_checks_cmap_and_outline():
    fonts = register()
    body = fonts.face(fonts.body)
    assert missing_glyphs("城镇新增就业人数 [>23.5] ≥95% ℃ ①", body) == []
    assert missing_glyphs("甲𠀀乙\u2212𠀀", body) == ["𠀀", "\u2212"]  # U+2212 MINUS is not in GBK
    assert missing_glyphs(" \u3000\t", body) == []  # whitespace needs no outline


def test_very_long_name_wraps_inside_its_column(sy_zl2, tmp_path):
    plan = sy_zl2.plan()
    long_name = "甲乙丙丁戊己庚辛壬癸" * 8
    doc = progress_document(renamed(plan, {plan.indicators[0].code: long_name}), sy_zl2.actuals(), 2023)
    pdf = render_pdf(doc, tmp_path / "wrap.pdf")
    with pdfplumber.open(pdf) as pdfdoc:
        page = pdfdoc.pages[0]
        chars = [c for c in page.chars if c["text"] in "甲乙丙丁戊己庚辛壬癸"]
        header = next(w for w in page.extract_words() if norm(w["text"]) == "指标")
        xs = verticals(page)
        right = min(x for x in xs if x >= header["x1"])
        left = max(x for x in xs if x <= header["x0"])
    assert len(chars) == len(long_name)
    assert len({round(c["top"]) for c in chars}) >= 3  # wrapped onto several lines
    assert all(left < c["x0"] and c["x1"] <= right for c in chars)


def test_missing_folder_is_refused_with_the_path(sy_zl2, tmp_path):
    folder = tmp_path / "没有这个文件夹"
    doc = box_document(sy_zl2.plan(), sy_zl2.actuals(), "专栏2")
    with pytest.raises(OutputRefused) as info:
        render_pdf(doc, folder / "r.pdf")
    assert str(folder) in info.value.message and "不存在" in info.value.message
    assert not folder.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_read_only_folder_is_refused(sy_zl2, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputRefused) as info:
            render_pdf(box_document(sy_zl2.plan(), sy_zl2.actuals(), "专栏2"), folder / "r.pdf")
        assert "只读" in info.value.message
    finally:
        folder.chmod(0o755)


def test_existing_file_is_replaced_whole(sy_zl2, tmp_path):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"old")
    render_pdf(box_document(sy_zl2.plan(), sy_zl2.actuals(), "专栏2"), out)
    assert out.read_bytes().startswith(b"%PDF")
    [backup] = [p for p in tmp_path.iterdir() if p != out]  # the old file is kept, no temp file left
    assert backup.name.startswith("r.备份-") and backup.suffix == ".pdf" and backup.read_bytes() == b"old"


def test_a_workbook_or_a_wrong_extension_is_never_the_target(sy_zl2, tmp_path):
    """A mistyped --pdf/--xlsx must not destroy the workbook (found by a CLI sweep)."""
    import shutil

    from desktop.domain.errors import FileRefused, ValueRefused
    from desktop.reports.xlsx import render_xlsx

    doc = box_document(sy_zl2.plan(), sy_zl2.actuals(), "专栏2")
    disguised = tmp_path / "台账.pdf"  # a workbook under a report's name
    shutil.copy(sy_zl2.path, disguised)
    before = disguised.read_bytes()
    with pytest.raises(FileRefused, match="数据文件"):
        render_pdf(doc, disguised)
    assert disguised.read_bytes() == before
    with pytest.raises(ValueRefused, match=r"“台账.sqlite”的扩展名应为 \.xlsx"):
        render_xlsx(doc, tmp_path / "台账.sqlite")
    with pytest.raises(ValueRefused, match=r"扩展名应为 \.pdf"):
        render_pdf(doc, tmp_path / "r.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.pdf"]


def test_cff_fonts_are_refused(tmp_path):
    otf = tmp_path / "Some-CJK.otf"
    otf.write_bytes(b"OTTO" + b"\0" * 64)
    with pytest.raises(FontRefused) as info:
        register(ReportFonts(body=otf))
    assert "TrueType" in info.value.message and "Some-CJK.otf" in info.value.message
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    with pytest.raises(FontRefused):
        register(ReportFonts(heading=junk))


SYSTEM_CFF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SYSTEM_LATIN = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not SYSTEM_CFF.is_file(), reason="fonts-noto-cjk not installed")
def test_installed_cff_collection_is_refused():
    with pytest.raises(FontRefused) as info:
        register(ReportFonts(body=SYSTEM_CFF))
    assert "CFF" in info.value.message and "TrueType" in info.value.message


def test_chosen_truetype_font_is_used_and_embedded(sy_zl2, tmp_path):
    sans = register().face(register().sans).path  # any installed .ttf: here the bundled sans
    doc = box_document(sy_zl2.plan(), sy_zl2.actuals(), "专栏2")
    pdf = render_pdf(doc, tmp_path / "sans.pdf", ReportFonts(body=sans))
    if shutil.which("pdffonts"):
        assert_fonts_embedded(pdf)
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "NotoSerifSC" not in listing and "NotoSansSC-Regular" in listing


@pytest.mark.skipif(not SYSTEM_LATIN.is_file(), reason="fonts-dejavu not installed")
def test_chosen_font_without_chinese_fails_naming_font_and_characters(sy_zl2, tmp_path):
    doc = box_document(sy_zl2.plan(), sy_zl2.actuals(), "专栏2")
    with pytest.raises(MissingGlyph) as info:
        render_pdf(doc, tmp_path / "latin.pdf", ReportFonts(body=SYSTEM_LATIN))
    assert "DejaVu Sans" in info.value.message and "城" in info.value.message
    assert list(tmp_path.iterdir()) == []


def column_lines(page, header: str) -> list[str]:
    """The printed lines of the table column whose header cell reads ``header``."""
    words = [w for w in page.extract_words() if norm(w["text"]) == header]
    assert words, f"no header “{header}” on page {page.page_number}"
    xs = verticals(page)
    left = max(x for x in xs if x <= words[0]["x0"])
    right = min(x for x in xs if x >= words[0]["x1"])
    rules = [e for e in page.edges if abs(e["x0"] - e["x1"]) < 0.1 and abs(e["x0"] - right) < 0.2]
    bottom = max(e["bottom"] for e in rules)  # the table, not the notes and the page number
    text = page.crop((left + 0.5, words[0]["bottom"] + 2, right + 6, bottom)).extract_text() or ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_wrapped_names_follow_the_line_breaking_rules(sy_pdfs, zj_box_pdf):
    """行首/行尾禁则 in every wrapped indicator name of the seed tables: 邵阳 专栏2 row 11 once
    printed "…证书人数（" / "万人次）"; now "（万人次）" goes down whole, and row 10's "）" hangs
    in the cell's padding rather than taking "人" down."""
    from desktop.reports.linebreak import NO_LINE_END, NO_LINE_START

    checked = 0
    for pdf in (sy_pdfs["box"], sy_pdfs["progress"], sy_pdfs["submission"], zj_box_pdf):
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                if not any(norm(w["text"]) == "指标" for w in page.extract_words()):
                    continue
                lines = column_lines(page, "指标")
                checked += len(lines)
                assert not [x for x in lines if x[0] in NO_LINE_START], (pdf.name, lines)
                assert not [x for x in lines if x[-1] in NO_LINE_END], (pdf.name, lines)
    assert checked > 40
    with pdfplumber.open(sy_pdfs["box"]) as doc:
        lines = column_lines(doc.pages[0], "指标")
    assert "11.新增取得职业资格证书或职业技能等级证书人数" in lines and "（万人次）" in lines
    assert "10.新增取得专业技术人员职业资格证书人数（万人）" in lines


def test_notes_follow_the_line_breaking_rules_even_with_two_closing_marks(sy_zl2, tmp_path):
    """A 注 with "），" pairs: wherever the lines break, none starts with a closing mark (reportlab
    alone hangs one mark and starts the next line with the other)."""
    import dataclasses

    from desktop.reports.linebreak import NO_LINE_START

    plan, actuals = sy_zl2.plan(), sy_zl2.actuals()
    for k in range(10):  # the pair every 10 characters, shifted by k: some shift puts it at a line end
        note = "注：" + "甲" * k + "就业人数（含学生），" * 14
        boxes = tuple(dataclasses.replace(b, footnotes=(note,)) if b.label == "专栏2" else b for b in plan.boxes)
        pdf = render_pdf(box_document(dataclasses.replace(plan, boxes=boxes), actuals, "专栏2"), tmp_path / f"n{k}.pdf")
        with pdfplumber.open(pdf) as doc:
            page = doc.pages[0]
            xs = verticals(page)
            bottom = max(e["bottom"] for e in page.edges if abs(e["x0"] - e["x1"]) < 0.1 and abs(e["x0"] - xs[-1]) < 0.2)
            text = page.crop((0, bottom + 1, page.width, page.height - 60)).extract_text() or ""
        lines = [x.strip() for x in text.splitlines() if x.strip() and not re.fullmatch(r"— \d+ —", x.strip())]
        assert norm("".join(lines)).startswith(norm(note)[:20]) and len(lines) >= 3, lines
        assert not [x for x in lines if x[0] in NO_LINE_START], (k, lines)
