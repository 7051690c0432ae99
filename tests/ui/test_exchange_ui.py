"""The 数据 menu's 报送与汇总 actions: the same files and figures as `planledger export/import/consolidate/diff`."""
from __future__ import annotations

import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QPushButton  # noqa: E402

from desktop.exchange import default_name, register_regions, verify_submission  # noqa: E402
from desktop.exchange.forge import resign  # noqa: E402
from desktop.store.create import new_workspace  # noqa: E402
from desktop.store.workspace import Workspace  # noqa: E402
from desktop.ui import exchange_jobs  # noqa: E402
from desktop.ui.exchange_menu import (consolidation_dialog, diff_dialog, export_dialog,  # noqa: E402
                                      import_dialog)
from desktop.ui.main_window import MainWindow  # noqa: E402
from tests.exchange.conftest import COUNTIES, JOBS, SURVEY, UNEMP_INS, make_county  # noqa: E402

from .conftest import stored  # noqa: E402

D = Decimal


def open_window(qtbot, path: Path, *, read_only: bool = False, year: int | None = 2023) -> MainWindow:  # noqa: ANN001
    win = MainWindow(Workspace.open(path, read_only=read_only), year=year)
    qtbot.addWidget(win)
    win.resize(1200, 700)
    win.show()
    return win


@pytest.fixture
def counties(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "counties"
    folder.mkdir()
    return {code: make_county(folder, code) for code in COUNTIES}


@pytest.fixture
def exported(tmp_path: Path, counties: dict[str, Path], qtbot) -> dict[str, Path]:  # noqa: ANN001
    """Each county exports through the GUI (year and file name as proposed)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = {}
    for code, path in counties.items():
        win = open_window(qtbot, path)
        with Workspace.open(path, read_only=True) as ws:
            name = default_name(ws.plan(), 2023)
        out[code] = export_dialog(win, year=2023, path=inbox / name)
        win.ws.close()
    return out


@pytest.fixture
def city(tmp_path: Path) -> Path:
    path = tmp_path / "city.sqlite"
    new_workspace(path, template="sy-zl2", region_code="430500", region_name="邵阳市", user="市汇总员").close()
    return path


@pytest.fixture
def city_window(qtbot, city: Path):  # noqa: ANN001
    win = open_window(qtbot, city)
    yield win
    win.ws.close()


def truncated(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def test_data_menu_lists_the_exchange_actions(city_window) -> None:  # noqa: ANN001
    texts = [a.text() for a in city_window.menuBar().actions()[2].menu().actions() if a.text()]
    assert texts[-5:] == ["导出报送文件…", "导入报送文件…", "从文件夹导入报送文件…", "汇总…", "比较两个报送文件…"]
    assert set(city_window.exchange_actions) == {"actExportSubmission", "actImportSubmissions", "actImportFolder",
                                                 "actConsolidate", "actDiffSubmissions"}


# ------------------------------------------------------------------------------ export


def test_export_asks_year_and_name_then_writes_a_verified_file(qtbot, counties, tmp_path, monkeypatch) -> None:  # noqa: ANN001,E501
    win = open_window(qtbot, counties["430522"], year=None)
    asked: dict[str, object] = {}

    def get_int(parent, title, label, value, lo, hi, *a, **k):  # noqa: ANN001
        asked["year"] = (value, lo, hi)
        return 2023, True

    def get_save(parent, title, start, filters, *a, **k):  # noqa: ANN001
        asked["file"] = start
        return str(tmp_path / "报给市里"), filters.split(";;")[0]

    monkeypatch.setattr(QInputDialog, "getInt", get_int)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save)
    win.exchange_actions["actExportSubmission"].trigger()
    # the window's report year is the plan's default year (the latest year holding a value: a 2024 estimate)
    assert asked["year"] == (2024, 2021, 2025)
    assert Path(str(asked["file"])) == counties["430522"].parent / "430522_新邵县_2023年_指标报送.sqlite"
    out = tmp_path / "报给市里.sqlite"
    r = verify_submission(out)
    assert r.ok, r.reasons
    assert (r.manifest.region_code, r.manifest.report_year, r.manifest.nature) == ("430522", 2023, "年报")
    assert r.actuals[JOBS][2023].value == D("1.2") and 2024 not in r.actuals[JOBS]
    text = win.last_box.text()
    assert str(out) in text and r.manifest.fingerprint in text
    assert any(e.action == "export" for e in win.ws.audit())
    win.ws.close()


def test_export_refusal_is_a_chinese_message(window, tmp_path) -> None:  # noqa: ANN001
    assert export_dialog(window, year=2023, path=tmp_path / "x.sqlite") is None  # no values yet
    assert window.last_box.icon() == QMessageBox.Icon.Warning
    assert "没有任何数值" in window.last_box.text() and "Traceback" not in window.last_box.text()
    assert not (tmp_path / "x.sqlite").exists()


def test_read_only_workspace_can_still_export(qtbot, counties, tmp_path) -> None:  # noqa: ANN001
    win = open_window(qtbot, counties["430523"], read_only=True)
    assert win.ws.read_only
    out = export_dialog(win, year=2023, path=tmp_path / "ro.sqlite")
    assert out == tmp_path / "ro.sqlite" and verify_submission(out).ok
    win.ws.close()


# ------------------------------------------------------------------------------ import


def test_import_lists_every_file_with_its_reason(city_window, exported, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    bad = truncated(exported["430522"], tmp_path / "inbox" / "430599_坏文件.sqlite")
    files = [str(exported["430522"]), str(exported["430523"]), str(bad)]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    city_window.exchange_actions["actImportSubmissions"].trigger()
    dlg = city_window.exchange_dialog
    report = dlg.report
    assert [i.status for i in report.items] == ["imported", "imported", "refused"]
    rows = dlg.rows()
    assert [r[1] for r in rows] == ["已导入", "已导入", "拒收"]
    assert rows[0][2] == "新邵县（430522）" and rows[1][2] == "邵阳县（430523）"
    assert report.items[2].codes == ["size_mismatch"]
    assert "430599_坏文件.sqlite" in rows[2][5] and "文件被截断" in rows[2][5]
    assert dlg.summary.text() == "共 3 个文件：导入 2 个，重复 0 个，拒收 1 个。"
    count = city_window.ws.connection.execute("SELECT count(*) FROM submission").fetchone()[0]
    assert count == 2
    # the same files again: duplicates, nothing changes
    dlg.close()
    again = import_dialog(city_window, files[:2])
    assert [r[1] for r in again.rows()] == ["重复（未改变）", "重复（未改变）"]
    assert city_window.ws.connection.execute("SELECT count(*) FROM submission").fetchone()[0] == 2


def test_import_a_folder(city_window, exported, monkeypatch) -> None:  # noqa: ANN001
    folder = exported["430522"].parent
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    city_window.exchange_actions["actImportFolder"].trigger()
    assert len(city_window.exchange_dialog.report.imported) == 2


def test_cancel_stops_before_the_remaining_files(city_window, exported, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    files = []
    for n in range(3):
        for code, path in exported.items():
            copy = tmp_path / f"{n}_{code}.sqlite"
            copy.write_bytes(path.read_bytes())
            files.append(copy)
    real = exchange_jobs.import_submissions

    threads = []

    def slow(ws, paths, *, progress, cancel, workers=1):  # noqa: ANN001
        threads.append(threading.current_thread())

        def step(done, total, path):  # noqa: ANN001
            progress(done, total, path)
            time.sleep(0.3)  # the GUI thread handles the click meanwhile

        return real(ws, paths, progress=step, cancel=cancel, workers=workers)

    monkeypatch.setattr(exchange_jobs, "import_submissions", slow)
    labels = []

    def click_cancel(done: int, total: int, name: str) -> None:  # in the GUI thread
        threads.append(threading.current_thread())
        if done == 1:
            dialog = city_window.import_progress
            labels.append(dialog.labelText())  # set for the first file
            next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消").click()

    class Job(exchange_jobs.ImportJob):
        def __init__(self, *a, **k) -> None:  # noqa: ANN002, ANN003
            super().__init__(*a, **k)
            self.progressed.connect(click_cancel)

    monkeypatch.setattr(exchange_jobs, "ImportJob", Job)
    dlg = import_dialog(city_window, files)
    report = dlg.report
    assert report.cancelled and len(report.items) == 2 < len(files)
    assert "已取消" in dlg.summary.text()
    assert labels[0] == f"1 / 6　{files[0].name}"
    main = threading.main_thread()
    assert threads[0] is not main and all(t is main for t in threads[1:])  # imported in a worker thread
    assert city_window.ws.connection.execute("SELECT count(*) FROM submission").fetchone()[0] == 2


def test_read_only_workspace_cannot_import(qtbot, city, exported) -> None:  # noqa: ANN001
    win = open_window(qtbot, city, read_only=True)
    assert import_dialog(win, [exported["430522"]]) is None
    assert "不能导入" in win.last_box.text() and "另存为" in win.last_box.text()
    win.ws.close()


# ------------------------------------------------------------------------------ consolidation


@pytest.fixture
def imported_city(city_window, exported):  # noqa: ANN001
    import_dialog(city_window, list(exported.values())).close()
    register_regions(city_window.ws, [("430524", "隆回县", None, None)])
    return city_window


def test_consolidation_shows_the_hand_computed_sums(imported_city) -> None:  # noqa: ANN001
    dlg = consolidation_dialog(imported_city, 2023)
    rows = {r[0]: r for r in dlg.rows()}
    # 城镇新增就业人数 2023: 新邵县 1.2 + 邵阳县 2.4; cumulative 2021–2023: 3.0 + 3.3 + 3.6
    jobs = rows["城镇新增就业人数"]
    assert jobs[1:5] == ["万人", "求和", str(D("1.2") + D("2.4")), str(D("3.0") + D("3.3") + D("3.6"))]
    assert jobs[5:8] == ["42.1%", "滞后", "2"]  # 9.9 / 23.5
    insured = rows["失业保险参保人数"]
    assert insured[3] == str(D("3.5") + D("4.25"))
    survey = rows["城镇调查失业率"]
    assert survey[3] == "—" and survey[6] == "不可汇总"
    assert dlg.indicators.horizontalHeaderItem(3).text() == "2023年汇总值"
    dlg.select_indicator(SURVEY)
    assert dlg.rows("regionTable") == [["新邵县", "430522", "5.1", "年报"], ["邵阳县", "430523", "4.9", "年报"]]
    assert dlg.rows("missingTable") == [["隆回县", "430524"]]
    assert dlg.tabs.tabText(2) == "未报送（1）"
    assert [r[0] for r in dlg.rows("submittedTable")] == ["新邵县", "邵阳县"]
    assert dlg.warnings.count() == len(dlg.result.warnings)


def test_write_consolidation_stores_the_sums_and_refreshes_the_grid(imported_city, monkeypatch) -> None:  # noqa: ANN001
    win = imported_city
    assert stored(win.ws.path, UNEMP_INS, 2023) is None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dlg = consolidation_dialog(win, 2023)
    dlg.write_button.click()
    assert stored(win.ws.path, UNEMP_INS, 2023) == D("3.5") + D("4.25")
    assert stored(win.ws.path, JOBS, 2021) == D("1.0") + D("2.0")
    assert win.model.actual(UNEMP_INS, 2023).value == D("7.75")  # the grid shows it
    # 城镇新增就业人数 2021–2023 and 失业保险参保人数 2023; 城镇调查失业率 is not summable
    assert win.last_box.text().startswith("已把 4 个汇总值写入“city.sqlite”")
    assert sum(e.action == "consolidate" for e in win.ws.audit()) == 4
    # once more: nothing changes
    dlg.write_button.click()
    assert "没有改变" in win.last_box.text()


def test_write_refused_in_a_read_only_workspace(qtbot, city, exported, monkeypatch) -> None:  # noqa: ANN001
    with Workspace.open(city) as ws:
        from desktop.exchange import import_submissions

        import_submissions(ws, list(exported.values()))
    win = open_window(qtbot, city, read_only=True)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    dlg = consolidation_dialog(win, 2023)
    assert dlg.rows()[0][3] != "—"  # a read-only workspace can still consolidate
    dlg.write_button.click()
    assert not asked and "不能写入" in win.last_box.text()
    assert stored(city, UNEMP_INS, 2023) is None
    win.ws.close()


# ------------------------------------------------------------------------------ diff


def test_diff_lists_the_changed_value(city_window, exported, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    fixed = tmp_path / "fixed.sqlite"
    resign(exported["430522"], fixed, values=lambda c, y, v: D("1.5") if (c, y) == (JOBS, 2023) else v)
    picks = iter([str(exported["430522"]), str(fixed)])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (next(picks), ""))
    city_window.exchange_actions["actDiffSubmissions"].trigger()
    dlg = city_window.exchange_dialog
    assert dlg.rows() == [["修改", "城镇新增就业人数", "2023年", "1.2（年报）", "1.5（年报）"]]
    assert dlg.summary.text() == "共 1 处变化：修改 1 处。"


def test_diff_of_a_bad_file_is_refused_with_the_reason(city_window, exported, tmp_path) -> None:  # noqa: ANN001
    bad = truncated(exported["430523"], tmp_path / "bad.sqlite")
    assert diff_dialog(city_window, exported["430522"], bad) is None
    assert "bad.sqlite" in city_window.last_box.text()


def test_consolidation_opens_on_the_year_the_regions_submitted(qtbot, city, exported) -> None:  # noqa: ANN001
    win = open_window(qtbot, city, year=None)
    assert win.year == 2021  # a new city workspace holds no values of its own
    import_dialog(win, list(exported.values())).close()
    dlg = consolidation_dialog(win)
    assert dlg.year == 2023 and dlg.result.year == 2023 and len(dlg.result.submissions) == 2
    dlg.year_combo.setCurrentIndex(dlg.year_combo.findData(2022))  # no submission for 2022
    assert dlg.result.year == 2022 and not dlg.result.submissions
    assert "尚未导入该年份的报送文件" in dlg.info.text() and not dlg.write_button.isEnabled()
    win.ws.close()


def test_resubmission_is_consolidated_and_compared_with_the_previous_version(imported_city, exported, tmp_path) -> None:  # noqa: ANN001,E501
    win = imported_city
    fixed = tmp_path / "fixed.sqlite"
    resign(exported["430522"], fixed, values=lambda c, y, v: D("1.5") if (c, y) == (JOBS, 2023) else v)
    result = import_dialog(win, [fixed])
    assert result.rows()[0][1] == "已导入" and "第 2 版" in result.rows()[0][5]
    result.close()
    dlg = consolidation_dialog(win, 2023)
    assert next(r for r in dlg.rows() if r[0] == "城镇新增就业人数")[3] == str(D("1.5") + D("2.4"))
    assert [r[:3] for r in dlg.rows("submittedTable")] == [["新邵县", "430522", "第 2 版"], ["邵阳县", "430523", "第 1 版"]]
    dlg.submitted.setCurrentCell(1, 0)
    assert not dlg.compare_button.isEnabled()
    dlg.submitted.setCurrentCell(0, 0)
    assert dlg.compare_button.isEnabled()
    dlg.compare_button.click()
    assert win.version_dialog.rows() == [["修改", "城镇新增就业人数", "2023年", "1.2（年报）", "1.5（年报）"]]


def test_export_into_a_missing_folder_says_so(qtbot, counties, tmp_path) -> None:  # noqa: ANN001
    win = open_window(qtbot, counties["430522"])
    assert export_dialog(win, year=2023, path=tmp_path / "没有这个文件夹" / "x.sqlite") is None
    assert "没有这个文件夹" in win.last_box.text() and "不存在" in win.last_box.text()
    win.ws.close()


def test_a_batch_import_leaves_the_window_on_a_single_file_it_can_edit(city_window, exported, tmp_path,
                                                                      monkeypatch) -> None:  # noqa: ANN001
    """Twelve files go through ``Workspace.batch`` (WAL while the batch runs) on the worker's
    connection; afterwards the window's file is back in the rollback journal with no -wal
    beside it, and an edit in the window is saved as usual."""
    from desktop.store import actions

    folder = tmp_path / "batch"
    folder.mkdir()
    for n in range(12):
        code = f"4305{n + 21:02d}"
        resign(exported["430522"], folder / f"{code}.sqlite", region_code=code, region_name=f"县{n + 1}")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    city_window.exchange_actions["actImportFolder"].trigger()
    assert len(city_window.exchange_dialog.report.imported) == 12
    ws = city_window.ws
    assert ws.connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not Path(f"{ws.path}-wal").exists()
    actions.set_actual(ws, JOBS, 2021, Decimal("7.5"))
    assert stored(ws.path, JOBS, 2021) == Decimal("7.5")
