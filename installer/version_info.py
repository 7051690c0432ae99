"""The Windows version resource (VERSIONINFO) of both executables, made from ``desktop.__version__``.

The spec writes it into the build folder for PyInstaller's ``EXE(version=...)``; Explorer's
Properties → Details and Task Manager show these strings, and the Inno Setup script reads the
version back from ``planledger-gui.exe`` (``GetVersionNumbersString``), so the version is
written in one place only: ``desktop/__init__.py``.
"""
from __future__ import annotations

COMPANY = "Plan Ledger"
PRODUCT = "规划指标台账 Plan Ledger"
COPYRIGHT = "© 2026 Plan Ledger. Bundled fonts: SIL Open Font License 1.1; Qt: LGPL-3.0."


def numeric(version: str) -> tuple[int, int, int, int]:
    """"0.1.0" → (0, 1, 0, 0); a suffix such as "0.2.0rc1" keeps its leading digits."""
    parts = [int(_leading_digits(piece) or 0) for piece in version.split(".")[:4]]
    return tuple((parts + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def _leading_digits(piece: str) -> str:
    out = ""
    for ch in piece:
        if not ch.isdigit():
            break
        out += ch
    return out


def render(version: str, *, description: str, internal_name: str, original_filename: str) -> str:
    """The text PyInstaller's ``EXE(version=path)`` reads (a ``VSVersionInfo(...)`` expression)."""
    nums = numeric(version)
    dotted = ".".join(str(n) for n in nums)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": description,
        "FileVersion": dotted,
        "InternalName": internal_name,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": original_filename,
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    items = ",\n            ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    # 0x0804 = zh-CN, 1200 = Unicode code page
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
            {items}])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""
