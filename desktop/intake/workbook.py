"""Reading a workbook a bureau typed: files checked before openpyxl sees them, every cell read
once (read-only, streaming; no ``max_row`` inside a loop — see FACTS), merged ranges and
formulas without a cached value taken from the sheet XML in one more streaming pass.

Nothing here raises a traceback at a user: a file that cannot be read gives ``IntakeRefused``
whose Chinese message names the file and says what to do (save as .xlsx, remove the password).
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

from .problems import IntakeRefused

__all__ = ["Book", "Cell", "Sheet", "read_sheet", "sheet_names", "cell_text", "address", "Progress", "read_csv"]

Progress = Callable[[float, str], None]
"""``progress(fraction 0..1, what)``: called while a big workbook is read (the GUI shows it)."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SAVE_AS = "请在 Excel 或 WPS 表格中打开该文件，选择“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再导入另存的文件"


@dataclass(frozen=True)
class Cell:
    """A read cell: its value as openpyxl gives it (str, int, float, datetime …) and format."""

    value: object
    number_format: str = "General"


@dataclass
class Sheet:
    """One worksheet as read: rows of cells (None = empty; trailing empties trimmed), 1-based
    addresses through ``address``; merged ranges as (min_row, min_col, max_row, max_col);
    ``no_cache``: (row, col) of formulas the file keeps no computed value for."""

    file: Path
    name: str
    hidden: bool
    rows: list[list[Cell | None]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    no_cache: set[tuple[int, int]] = field(default_factory=set)
    formulas: set[tuple[int, int]] = field(default_factory=set)

    def cell(self, row: int, col: int) -> Cell | None:
        """1-based row and column."""
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= col <= len(cells):
                return cells[col - 1]
        return None

    def where(self, row: int, col: int | None = None) -> str:
        """"文件“x.xlsx”工作表“表2”单元格 C5" — the place a message names."""
        place = f"文件“{self.file.name}”工作表“{self.name}”"
        return place + (f"单元格 {address(row, col)}" if col else f"第 {row} 行")


def address(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def check_file(path: Path) -> None:
    """Refuse, before openpyxl opens it, a file that is not an .xlsx we can read."""
    if not path.exists():
        raise IntakeRefused(f"文件“{path}”不存在")
    if path.is_dir():
        raise IntakeRefused(f"“{path}”是文件夹，不是 Excel 工作簿")
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(8)
        if head == OLE_MAGIC:
            fh.seek(0)
            blob = fh.read(1 << 20)
    if head == OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in blob or (suffix in (".xlsx", ".xlsm") and b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" not in blob):
            raise IntakeRefused(
                f"文件“{path.name}”设置了打开密码（已加密），无法读取。请在 Excel 或 WPS 中用密码打开，"
                "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”（WPS：文件 → 文档加密 → 密码加密）中清除密码并保存，再导入"
            )
        kind = {".et": "WPS 表格 .et 文件", ".ett": "WPS 表格模板", ".xls": "Excel 97-2003 工作簿（.xls）"}.get(suffix, "旧版 Excel（.xls）格式的文件")
        raise IntakeRefused(f"文件“{path.name}”是{kind}，本程序只读取 .xlsx。{SAVE_AS}")
    if suffix in (".xls", ".et", ".ett"):
        raise IntakeRefused(f"文件“{path.name}”不是 .xlsx 格式。{SAVE_AS}")
    if head[:4] != ZIP_MAGIC:
        raise IntakeRefused(f"文件“{path.name}”不是 Excel 工作簿（.xlsx），无法读取")


def _load(path: Path):  # type: ignore[no-untyped-def]
    import openpyxl

    check_file(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise IntakeRefused(f"文件“{path.name}”已损坏或不完整（不是有效的 .xlsx 压缩包），无法读取") from None
    except KeyError as exc:
        raise IntakeRefused(f"文件“{path.name}”缺少工作簿内容（{exc}），可能已损坏；{SAVE_AS}") from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise IntakeRefused(f"文件“{path.name}”无法作为 .xlsx 读取（{type(exc).__name__}）；{SAVE_AS}") from None


class Book:
    """An open workbook (read-only, cached values): its sheets can be probed and read several
    times without parsing the shared strings again. Use as a context manager."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._wb = _load(self.path)

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._wb.close()

    def names(self) -> list[tuple[str, bool]]:
        """(name, hidden) of every worksheet, in workbook order."""
        return [(ws.title, getattr(ws, "sheet_state", "visible") != "visible") for ws in self._wb.worksheets]

    def read(self, name: str | None = None, *, max_rows: int | None = None, progress: Progress | None = None,
             stop: Callable[[list[Cell | None] | None], bool] | None = None) -> Sheet:
        """Read one worksheet (``name``; default the first visible one).

        ``max_rows`` stops early (a header search: merges and formulas are not scanned);
        ``stop(row)`` may end the read once a table has ended (called with each row, None for
        an empty one).
        """
        path, wb = self.path, self._wb
        sheets = wb.worksheets
        if not sheets:
            raise IntakeRefused(f"文件“{path.name}”中没有工作表")
        if name is None:
            ws = next((s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"), sheets[0])
        else:
            ws = next((s for s in sheets if s.title == name), None)
            if ws is None:
                listed = "、".join(f"“{s.title}”" for s in sheets)
                raise IntakeRefused(f"文件“{path.name}”中没有工作表“{name}”；现有工作表：{listed}")
        hidden = getattr(ws, "sheet_state", "visible") != "visible"
        total = (ws.max_row or 0) if progress else 0  # once, from the sheet's dimension
        rows: list[list[Cell | None]] = []
        n = 0
        for raw in ws.iter_rows():
            n += 1
            cells: list[Cell | None] = []
            for c in raw:
                v = getattr(c, "value", None)
                if v is None or (isinstance(v, str) and not v.strip()):
                    cells.append(None)
                else:
                    cells.append(Cell(v, getattr(c, "number_format", "General") or "General"))
            while cells and cells[-1] is None:
                cells.pop()
            row_no = getattr(raw[0], "row", None) if raw else None
            while row_no and len(rows) < row_no - 1:
                rows.append([])
            rows.append(cells)
            if progress and n % 2000 == 0:
                progress(min(0.8, 0.8 * n / total) if total else 0.5, f"正在读取第 {n} 行")
            if max_rows and len(rows) >= max_rows:
                break
            if stop and stop(cells or None):
                break
        sheet = Sheet(path, ws.title, hidden, rows)
        if not max_rows:
            if progress:
                progress(0.85, "正在检查合并单元格和公式")
            _scan_xml(wb, ws, sheet, len(rows))
        if progress:
            progress(1.0, "读取完成")
        return sheet


def sheet_names(path: Path) -> list[tuple[str, bool]]:
    """(name, hidden) of every worksheet, in workbook order."""
    with Book(path) as book:
        return book.names()


def read_sheet(path: Path, name: str | None = None, *, max_rows: int | None = None,
               progress: Progress | None = None, stop: Callable[[list[Cell | None] | None], bool] | None = None
               ) -> Sheet:
    """Open the workbook and read one worksheet (see ``Book.read``)."""
    with Book(path) as book:
        return book.read(name, max_rows=max_rows, progress=progress, stop=stop)


_CELL_WITH_FORMULA = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>.*?</f>)\s*(<v>([^<]*)</v>|<v\s*/>)?',
                                re.S)
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _scan_xml(wb, ws, sheet: Sheet, last_row: int) -> None:  # type: ignore[no-untyped-def]
    """Merged ranges and formulas (with or without a cached value) from the sheet's XML, in
    one streaming pass of byte searches (cells end at ``</c>``; a chunk is cut after one)."""
    part = getattr(ws, "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if not part or archive is None:
        return
    try:
        fh = archive.open(part)
    except KeyError:
        return
    carry = b""
    with fh:
        while True:
            chunk = fh.read(1 << 22)
            data = carry + chunk
            if chunk:
                cut = data.rfind(b"</c>")
                cut = cut + 4 if cut >= 0 else max(0, len(data) - 4096)
                data, carry = data[:cut], data[cut:]
            if b"<f" in data:
                for m in _CELL_WITH_FORMULA.finditer(data):
                    row = int(m.group(2))
                    if row > last_row:
                        continue
                    col = column_index_from_string(m.group(1).decode())
                    sheet.formulas.add((row, col))
                    if not m.group(4):
                        sheet.no_cache.add((row, col))
            for m in _MERGE.finditer(data):
                ref = m.group(1).decode()
                min_col, min_row, max_col, max_row = range_boundaries(ref)
                sheet.merges.append((min_row, min_col, max_row, max_col))
            if not chunk:
                break


def cell_text(cell: Cell | None) -> str:
    """A cell as the text a person sees: numbers without float noise, the decimals the cell's
    format shows (81.0 in a 0.0 cell), percent-formatted cells as the percentage (0.318 in a
    0.0% cell reads 31.8). Dates are not text (the caller reports them)."""
    if cell is None:
        return ""
    v = cell.value
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float, Decimal)):
        fmt = cell.number_format or "General"
        d = Decimal(str(v)) if isinstance(v, float) else Decimal(v)
        if fmt.rstrip().endswith("%"):
            d = d * 100
        decimals = _format_decimals(fmt)
        if decimals is not None:
            d = d.quantize(Decimal(1).scaleb(-decimals)) if decimals else d.quantize(Decimal(1))
        text = format(d, "f")
        if decimals is None and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    if isinstance(v, (datetime, date, time)):
        return str(v)
    return str(v).strip()


def is_date(cell: Cell | None) -> bool:
    return cell is not None and isinstance(cell.value, (datetime, date, time))


def _format_decimals(fmt: str) -> int | None:
    """Decimals a number format shows (``0.00`` → 2, ``0`` → 0), None for General."""
    f = fmt.split(";")[0]
    f = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", f)
    if not re.search(r"[0#]", f):
        return None
    m = re.search(r"\.([0#]+)", f)
    return len(m.group(1)) if m else 0


def read_csv(path: Path) -> Sheet:
    """A CSV file as a sheet of text cells (UTF-8 with or without BOM, else GB18030)."""
    path = Path(path)
    if not path.exists():
        raise IntakeRefused(f"文件“{path}”不存在")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise IntakeRefused(f"文件“{path.name}”的编码无法识别，请另存为 UTF-8 编码的 CSV")
    rows = []
    for record in csv.reader(io.StringIO(text)):
        cells = [Cell(v.strip()) if v.strip() else None for v in record]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells)
    return Sheet(path, "CSV", False, rows)
