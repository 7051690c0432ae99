"""Fonts for the printed reports: the bundled TrueType CJK fonts, registered with reportlab.

The body is set in a Song-style serif (Noto Serif SC), headings and bold text in a Hei-style
bold sans (Noto Sans SC Bold), the fingerprint's hex digits in the regular sans. A user may
choose a TrueType font installed on the machine instead (settings); reportlab embeds only
TrueType (``glyf``) outlines, so OpenType/CFF fonts (most ``.otf``, the Noto/思源 ``.ttc``
collections) are refused with a message saying why.

A character a font lacks prints as a silent blank in reportlab. ``missing_glyphs`` checks
every character against the font's cmap *and* its outline (a cmap entry pointing at an empty
glyph prints blank too); the renderer calls ``check_text`` on every string of a document and
fails with ``MissingGlyph`` naming the character and where it occurs.
"""
from __future__ import annotations

import functools
import hashlib
import struct
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

import resources
from desktop.domain.errors import PlanLedgerError

BODY_FILE = "NotoSerifSC-Regular.ttf"
HEADING_FILE = "NotoSansSC-Bold.ttf"
SANS_FILE = "NotoSansSC-Regular.ttf"


class FontRefused(PlanLedgerError, ValueError):
    """A font file that cannot be used for the PDF reports (missing, CFF outlines, damaged)."""


class MissingGlyph(PlanLedgerError, ValueError):
    """A character of the document that the chosen font cannot draw.

    ``missing`` lists (character, place) pairs; the message names each character, its code
    point and where it occurs.
    """

    def __init__(self, message: str, missing: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.missing = list(missing or [])


def _bundled(name: str) -> Path:
    for path in resources.font_files():
        if path.name == name:
            return path
    raise FontRefused(f"没有找到内置字体“{name}”：安装可能不完整，请重新安装本程序。")


@dataclass(frozen=True)
class ReportFonts:
    """Font files of a report: ``body`` (serif), ``heading`` (bold sans, also ``<b>`` in the
    body), ``sans`` (the fingerprint's digits). ``None`` means the bundled font."""

    body: Path | None = None
    heading: Path | None = None
    sans: Path | None = None

    def paths(self) -> tuple[Path, Path, Path]:
        return (
            Path(self.body) if self.body else _bundled(BODY_FILE),
            Path(self.heading) if self.heading else _bundled(HEADING_FILE),
            Path(self.sans) if self.sans else _bundled(SANS_FILE),
        )


@dataclass(frozen=True)
class RegisteredFonts:
    """reportlab font names of a registered ``ReportFonts`` (``body`` is also a family whose
    bold face is ``heading``, so ``<b>`` works in body paragraphs)."""

    body: str
    heading: str
    sans: str
    faces: dict[str, "FontFace"] = field(default_factory=dict, compare=False, hash=False)

    def face(self, name: str) -> "FontFace":
        return self.faces[name]


class FontFace:
    """A registered TrueType font: its reportlab name, family name and glyph coverage."""

    def __init__(self, name: str, path: Path, font: TTFont):
        self.name = name
        self.path = path
        self.font = font
        face = font.face
        family = getattr(face, "familyName", b"") or face.name
        self.family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
        self.cmap: dict[int, int] = face.charToGlyph
        self._loca: list[int] | None = None
        self._glyf_empty: dict[int, bool] = {}
        self._face = face

    def _load_loca(self) -> list[int]:
        if self._loca is None:
            face = self._face
            head = face.get_table("head")
            long_loca = struct.unpack(">h", head[50:52])[0] == 1
            loca = face.get_table("loca")
            fmt, scale = (">%dL", 1) if long_loca else (">%dH", 2)
            count = len(loca) // (4 if long_loca else 2)
            self._loca = [x * scale for x in struct.unpack(fmt % count, loca)]
        return self._loca

    def has_outline(self, ch: str) -> bool:
        """The character is mapped and its glyph has an outline (contours or components)."""
        glyph = self.cmap.get(ord(ch))
        if not glyph:  # unmapped, or mapped to .notdef
            return False
        empty = self._glyf_empty.get(glyph)
        if empty is None:
            loca = self._load_loca()
            empty = glyph + 1 >= len(loca) or loca[glyph + 1] <= loca[glyph]
            self._glyf_empty[glyph] = empty
        return not empty


def needs_outline(ch: str) -> bool:
    """Whitespace and control/format characters are never drawn; everything else is."""
    return not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"))


def missing_glyphs(text: str, font: FontFace | str | Path) -> list[str]:
    """The characters of ``text`` (in order of first use, whitespace excluded) that ``font``
    cannot draw: not in its cmap, or mapped to an empty outline. ``font`` is a registered
    face or a TrueType file path."""
    face = font if isinstance(font, FontFace) else _face_for(Path(font))
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in seen and needs_outline(ch) and not face.has_outline(ch):
            seen[ch] = None
    return list(seen)


def describe(ch: str) -> str:
    return f"“{ch}”（U+{ord(ch):04X}）"


def check_text(items: Iterable[tuple[str, str, FontFace]]) -> None:
    """Fail with ``MissingGlyph`` when any (text, place, face) has a character the face
    lacks; the message lists every such character once, with the first place it occurs."""
    found: dict[tuple[str, str], str] = {}  # (face family, char) -> place
    faces: dict[str, FontFace] = {}
    for text, place, face in items:
        for ch in missing_glyphs(text, face):
            key = (face.family, ch)
            if key not in found:
                found[key] = place
                faces[face.family] = face
    if not found:
        return
    lines = [f"字体“{family}”缺少字符{describe(ch)}，出现在：{place}" for (family, ch), place in found.items()]
    more = f"（另有 {len(lines) - 10} 处）" if len(lines) > 10 else ""
    message = (
        "；\n".join(lines[:10])
        + more
        + "。\n打印出来会是空白，报表未生成。请改用常见写法，或在设置中选择包含该字符的 TrueType 字体。"
    )
    raise MissingGlyph(message, [(ch, place) for (_, ch), place in found.items()])


# ---------------------------------------------------------------------------------------------
# registration

_lock = threading.Lock()


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise FontRefused(f"字体文件“{path}”不存在或不是文件。")
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise FontRefused(f"字体文件“{path}”无法读取：{exc}") from exc
    if magic == b"OTTO":
        raise FontRefused(
            f"字体“{path.name}”是 OpenType/CFF（PostScript 轮廓）字体，PDF 生成组件只能嵌入 TrueType 轮廓字体，"
            "无法保证打印效果一致。请选择 .ttf 字体（如系统自带的宋体 simsun、黑体 simhei），或使用内置字体。"
        )
    if magic not in (b"\x00\x01\x00\x00", b"true", b"ttcf"):
        raise FontRefused(f"文件“{path.name}”不是 TrueType 字体（.ttf）。")


@functools.lru_cache(maxsize=None)
def _face_for(path: Path) -> FontFace:
    path = Path(path)
    _check_file(path)
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:10]
    name = f"PL-{path.stem}-{digest}"
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except TTFError as exc:
        if "postscript outlines" in str(exc).lower():
            raise FontRefused(
                f"字体“{path.name}”使用 PostScript（CFF）轮廓，PDF 生成组件只能嵌入 TrueType 轮廓字体。"
                "请选择 .ttf 字体，或使用内置字体。"
            ) from exc
        raise FontRefused(f"字体“{path.name}”无法使用：{exc}") from exc
    except (OSError, ValueError, struct.error, KeyError, IndexError) as exc:
        raise FontRefused(f"字体文件“{path.name}”已损坏或格式不受支持：{exc}") from exc
    pdfmetrics.registerFont(font)
    return FontFace(name, path, font)


def register(fonts: ReportFonts | None = None) -> RegisteredFonts:
    """Register the report fonts with reportlab (once per file) and return their names.

    The body font becomes a family whose bold (and bold-italic) face is the heading font, so
    ``<b>`` in a body paragraph prints in the bold sans instead of a faked or missing bold.
    """
    body_path, heading_path, sans_path = (fonts or ReportFonts()).paths()
    with _lock:
        body, heading, sans = _face_for(body_path), _face_for(heading_path), _face_for(sans_path)
        family = body.name
        for bold, italic, face in ((0, 0, body), (1, 0, heading), (0, 1, body), (1, 1, heading)):
            addMapping(family, bold, italic, face.name)
        for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
            addMapping(heading.name, bold, italic, heading.name)
            addMapping(sans.name, bold, italic, heading.name if bold else sans.name)
    return RegisteredFonts(body.name, heading.name, sans.name, {f.name: f for f in (body, heading, sans)})


__all__ = [
    "FontFace",
    "FontRefused",
    "MissingGlyph",
    "RegisteredFonts",
    "ReportFonts",
    "check_text",
    "missing_glyphs",
    "needs_outline",
    "register",
]
