"""THIRD-PARTY.txt for the bundle: every Python distribution the bundle is built from, with its
licence field and licence texts, plus Python's own licence. The spec writes it at build time
(from the build venv, so it lists exactly what was bundled) to ``_internal/licenses/``.
"""
from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

BUILD_TOOLS = {"pip", "setuptools", "wheel", "pyinstaller", "pyinstaller-hooks-contrib",
               "altgraph", "packaging", "macholib", "pefile", "pywin32-ctypes"}
_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE)", re.I)
LGPL_NOTE = (
    "Qt and PySide6 are used under the GNU Lesser General Public License v3 "
    "(https://www.gnu.org/licenses/lgpl-3.0.txt). They are separate shared libraries in "
    "_internal/PySide6/ and may be replaced by compatible builds. Source: https://code.qt.io/."
)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def notice() -> str:
    parts = ["规划指标台账 Plan Ledger — third-party software in this bundle", ""]
    seen: set[str] = set()
    dists = sorted(metadata.distributions(), key=lambda d: _norm(d.metadata["Name"] or ""))
    for dist in dists:
        name = dist.metadata["Name"] or "?"
        if _norm(name) in BUILD_TOOLS or _norm(name) in seen:
            continue
        seen.add(_norm(name))
        lic = dist.metadata.get("License-Expression") or (dist.metadata.get("License") or "").splitlines()[0:1]
        lic = lic if isinstance(lic, str) else (lic[0] if lic else "see below")
        parts += ["=" * 78, f"{name} {dist.version} — {lic}", "=" * 78]
        if _norm(name) in ("pyside6-essentials", "shiboken6"):
            parts.append(LGPL_NOTE)
        for f in dist.files or []:
            if ".dist-info" in str(f) and _LICENCE_FILE.search(Path(str(f)).name):
                try:
                    parts += ["", f"--- {f}", Path(f.locate()).read_text(encoding="utf-8", errors="replace")]
                except OSError:
                    pass
        parts.append("")
    py_licence = Path(sys.base_prefix, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "LICENSE.txt")
    if not py_licence.is_file():
        py_licence = Path(sys.base_prefix, "LICENSE.txt")  # Windows layout
    parts += ["=" * 78, f"Python {sys.version.split()[0]} — PSF-2.0", "=" * 78]
    if py_licence.is_file():
        parts.append(py_licence.read_text(encoding="utf-8", errors="replace"))
    parts += ["", "The bundled fonts (resources/fonts): SIL Open Font License 1.1, see resources/fonts/OFL.txt."]
    return "\n".join(parts)


def write_notice(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(notice(), encoding="utf-8")
    return path
