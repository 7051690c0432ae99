"""Application start: Qt's Chinese translations, the bundled CJK font, the first window."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from desktop import APP_ID, APP_NAME
from desktop.domain.errors import PlanLedgerError


def install_translations(app: QApplication) -> None:
    """Qt's own zh_CN strings (standard buttons and dialogs in Chinese)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            break


def install_fonts(app: QApplication) -> None:
    """Register the bundled CJK fonts so the UI renders on a PC with no Chinese font."""
    import resources

    families: list[str] = []
    # the sans faces only: the window uses nothing else (the serif is for printed reports, which
    # reportlab embeds itself); each face registered costs ~2-3 ms before the first paint
    for path in [p for p in resources.font_files() if "Sans" in p.name] or resources.font_files():
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid >= 0:
            families += QFontDatabase.applicationFontFamilies(fid)
    sans = next((f for f in families if "Sans" in f), families[0] if families else None)
    if sans:
        font = QFont(sans)
        font.setPointSize(10)
        app.setFont(font)


def install_icon(app: QApplication) -> None:
    """The window/taskbar icon (resources/icons, drawn by installer/make_icon.py)."""
    import resources

    try:
        with resources.resource_path("icons", "planledger.png") as path:
            app.setWindowIcon(QIcon(str(path)))
    except PlanLedgerError:
        pass


INSTANCE_MUTEX = "PlanLedger.Running"
"""Windows named mutex held while the window runs; installer/planledger.iss ``AppMutex`` names
it, so Setup asks the user to close the app before installing over it."""
_mutex_handle = None


def hold_instance_mutex() -> None:
    global _mutex_handle
    if sys.platform != "win32" or _mutex_handle:
        return
    try:
        import ctypes

        _mutex_handle = ctypes.windll.kernel32.CreateMutexW(None, False, INSTANCE_MUTEX)
    except (AttributeError, OSError):  # released by Windows when the process exits
        _mutex_handle = None


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_ID, appauthor=False))


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(APP_ID)
        install_translations(app)
        install_fonts(app)
        install_icon(app)
    return app  # type: ignore[return-value]


def run_app(workspace: str | None, *, year: int | None = None, screenshot: str | None = None) -> int:
    """Open ``workspace`` (the demo county workspace when None); with ``screenshot`` render
    the window to a PNG and exit instead of running the event loop."""
    from desktop.store.workspace import Workspace

    from .main_window import MainWindow

    app = make_app()
    hold_instance_mutex()
    try:
        if workspace:
            path = Path(workspace)
        else:
            from desktop.store.create import demo_workspace  # templates: only for the demo file

            path = demo_workspace(data_dir())
        ws = Workspace.open(path)
    except PlanLedgerError as exc:
        if screenshot:
            print(f"错误：{exc.message}", file=sys.stderr)
            return 3
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "无法打开文件", exc.message)
        return 3
    win = MainWindow(ws, year=year)
    win.resize(1360, 800)
    win.show()
    if screenshot:
        app.processEvents()
        deadline = time.monotonic() + 5  # the chart is drawn a moment after the first paint
        while getattr(win.detail, "chart_pending", False) and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        app.processEvents()
        ok = win.grab().save(screenshot, "PNG")
        win.close()
        win.ws.close()
        ws.close()
        if not ok:
            print(f"错误：无法写入截图文件“{screenshot}”", file=sys.stderr)
            return 2
        return 0
    QTimer.singleShot(0, win.raise_)
    code = app.exec()
    win.ws.close()
    ws.close()
    return code
