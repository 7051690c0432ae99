"""What a clumsy command line must not do: overwrite a workbook or a filled-in form, store an
absurd number, call a locked file damaged, edit a signed submission file, or crash on a
folder it cannot write (found by a bad-input sweep of every subcommand, 2026-12-04)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.intake.collect import FIRST_ROW, VALUE_COL


def _values(ws: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{ws}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT code, year, value FROM actual ORDER BY code, year").fetchall()
    finally:
        conn.close()


def test_a_report_never_overwrites_the_workbook_and_keeps_a_replaced_report(cli, county: Path, tmp_path: Path) -> None:
    before = county.read_bytes()
    r = cli("report", county, "--kind", "progress", "--xlsx", county)
    assert r.code == 2 and "“county.sqlite”的扩展名应为 .xlsx" in r.err
    r = cli("report", county, "--kind", "progress", "--pdf", tmp_path / "r.docx")
    assert r.code == 2 and "扩展名应为 .pdf" in r.err
    assert county.read_bytes() == before

    out = tmp_path / "r.pdf"
    assert cli("report", county, "--kind", "progress", "--pdf", out).code == 0
    first = out.read_bytes()
    r = cli("report", county, "--kind", "progress", "--pdf", out)
    assert r.code == 0
    [backup] = [p for p in tmp_path.glob("r.备份-*.pdf")]
    assert backup.read_bytes() == first
    assert f"原有的“r.pdf”已保留为备份“{backup.name}”" in r.err


def test_collect_again_keeps_a_filled_in_form_and_collect_in_skips_the_backup(cli, county: Path, tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    assert cli("collect", county, "--year", "2024", "--out", forms, "--unit", "就业科").code == 0
    [form] = forms.iterdir()
    wb = load_workbook(form)
    sheet = wb.worksheets[0]
    row = next(r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 3).value == "城镇新增就业人数")
    column = VALUE_COL
    assert sheet.cell(FIRST_ROW - 1, column).value == "2024年数值（请填写）"
    sheet.cell(row, column).value = 6
    wb.save(form)

    r = cli("collect", county, "--year", "2024", "--out", forms, "--unit", "就业科")
    assert r.code == 0
    [backup] = [p for p in forms.iterdir() if "备份" in p.name]
    assert f"原有的“{form.name}”已保留为备份“{backup.name}”" in r.err
    kept = load_workbook(backup).worksheets[0]
    assert kept.cell(row, column).value == 6

    r = cli("collect-in", county, forms, "--dry-run")  # the backup is not read as a second form
    assert r.code == 0, r.err
    assert r.err.count("就业科") == 1

    empty = tmp_path / "empty"
    empty.mkdir()
    r = cli("collect-in", county, empty)
    assert r.code == 2 and "没有找到填报表" in r.err and "None" not in r.err


@pytest.mark.parametrize("value, reason", [
    ("9" * 40, "整数部分最多 15 位"),
    ("12345678901234567890123", "整数部分最多 15 位"),
    ("0." + "0" * 49 + "1", "小数位数太多：最多 18 位"),
    ("1234567890.12345678901", "有效数字太多：最多 20 位"),
])
def test_absurd_numbers_are_refused_before_they_are_stored(cli, county: Path, value: str, reason: str) -> None:
    before = _values(county)
    r = cli("set", county, "--indicator", "城镇新增就业人数", "--year", "2024", f"--value={value}")
    assert r.code == 2 and reason in r.err and "Traceback" not in r.err
    assert _values(county) == before
    assert cli("show", county, "--year", "2023").code == 0


def test_the_largest_accepted_number_still_shows(cli, county: Path) -> None:
    assert cli("set", county, "--indicator", "城镇新增就业人数", "--year", "2024", "--value", "999999999999999").code == 0
    r = cli("show", county, "--year", "2024", "--json")
    assert r.code == 0
    row = next(i for i in r.json()["indicators"] if i["name"] == "城镇新增就业人数")
    assert row["actuals"]["2024"] == 999999999999999


def test_a_locked_file_is_busy_not_damaged(cli, county: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys, time
        c = sqlite3.connect({str(county)!r}, isolation_level=None)
        c.execute("BEGIN EXCLUSIVE")
        print("held", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        r = cli("show", county, "--year", "2023")
        assert r.code == 3
        assert "正被其他程序使用" in r.err and "损坏" not in r.err
    finally:
        holder.kill()
        holder.wait()


def test_a_submission_file_opens_read_only(cli, county: Path, tmp_path: Path) -> None:
    sub = tmp_path / "sub.sqlite"
    assert cli("export", county, "--year", "2023", "--out", sub).code == 0
    before = sub.read_bytes()
    r = cli("set", sub, "--indicator", "城镇新增就业人数", "--year", "2023", "--value", "7")
    assert r.code == 2
    assert "“sub.sqlite”是导出的报送文件" in r.err and "重新导出报送文件" in r.err
    assert sub.read_bytes() == before
    assert cli("show", sub, "--year", "2023").code == 0  # looking is fine
    assert "通过" in cli("verify", sub).err


def test_outputs_name_the_problem_instead_of_crashing(cli, county: Path, tmp_path: Path) -> None:
    folder = tmp_path / "d.png"
    folder.mkdir()
    r = cli("chart", county, "--overview", "--out", folder)
    assert r.code == 3 and "是一个文件夹" in r.err
    r = cli("save-template", county, "--out", tmp_path / "tpl.txt")
    assert r.code == 2 and "扩展名应为 .json" in r.err
    assert not (tmp_path / "tpl.json").exists()
    not_a_folder = tmp_path / "r.pdf"
    not_a_folder.write_bytes(b"%PDF")
    r = cli("collect", county, "--year", "2024", "--out", not_a_folder)
    assert r.code == 2 and "不是文件夹" in r.err
    if sys.platform.startswith("linux"):
        r = cli("chart", county, "--overview", "--out", "/proc/x.png")
        assert r.code == 3 and "无法写入“/proc/x.png”" in r.err and "内部错误" not in r.err


def test_a_name_twice_in_one_box_is_refused(cli, county: Path) -> None:
    r = cli("indicator", county, "--indicator", "sy-zl2-01", "--name", "城镇调查失业率")
    assert r.code == 2 and "专栏2中已有指标“城镇调查失业率”（sy-zl2-02）" in r.err
    shown = cli("show", county, "--year", "2023", "--json").json()["indicators"]
    assert [i["name"] for i in shown if i["code"] == "sy-zl2-01"] == ["城镇新增就业人数"]


def test_targets_are_split_only_to_subordinate_regions(cli, tmp_path: Path) -> None:
    city = tmp_path / "city.sqlite"
    assert cli("new", city, "--template", "sy-zl2", "--region", "430500", "--region-name", "邵阳市").code == 0
    for code, name in (("440301", "南山区"), ("430000", "湖南省"), ("430100", "长沙市")):
        r = cli("split-set", city, "--indicator", "sy-zl2-01", "--region", code, "--region-name", name, "--target", "3")
        assert r.code == 2 and f"{code} 不是本级 邵阳市（430500）的下级地区" in r.err
    r = cli("split-export", city, "--region", "430500", "--region-name", "邵阳市", "--out", tmp_path / "self.sqlite")
    assert r.code == 2 and not (tmp_path / "self.sqlite").exists()
    assert cli("split-set", city, "--indicator", "sy-zl2-01", "--region", "430522", "--region-name", "新邵县",
               "--target", "3").code == 0


def test_a_count_takes_no_negative_target_or_base(cli, county: Path) -> None:
    r = cli("indicator", county, "--indicator", "sy-zl2-01", "--target=[>-5]")
    assert r.code == 2 and "目标值“[>-5]”不能为负数" in r.err
    r = cli("indicator", county, "--indicator", "sy-zl2-01", "--base=-5")
    assert r.code == 2 and "基期值不能为负数（-5）" in r.err
    row = next(i for i in cli("show", county, "--year", "2023", "--json").json()["indicators"] if i["code"] == "sy-zl2-01")
    assert (row["target_text"], row["base_text"]) == ("[>23.5]", "4.72")
