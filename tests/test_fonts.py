"""The bundled CJK fonts cover every character the app prints, with real outlines.

A character missing from a font prints as a silent blank in reportlab (no error), and a
cmap entry pointing at an empty glyph does the same, so coverage is checked on the
``glyf`` outlines.  The fonts are built by ``installer/fonts/build_fonts.py``.

The fonts are read with reportlab's own TrueType parser (a runtime dependency) plus the
``loca``/``glyf`` headers, so the tests need no fontTools.
"""
from __future__ import annotations

import functools
import json
import shutil
import struct
import subprocess
import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "resources" / "fonts"
TEMPLATE_DIR = ROOT / "resources" / "templates"
FONT_FILES = ["NotoSerifSC-Regular.ttf", "NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf"]
MAX_BYTES = 12_000_000

LABELS = (
    "规划指标台账序号指标单位属性基期值目标值完成进度序时进度评估结论预期性约束性提前实现"
    "快于序时基本符合滞后达标未达标完成超额完成未完成无数据待评估预计可完成预计难以完成"
    "专栏注填报单位负责人填报人联系电话报送日期盖章第页共数据指纹年快报年报预计撤销修改"
    "粘贴文件编辑视图帮助审核汇总报送累计以内左右以上不超过"
)
ASCII_AND_SYMBOLS = (
    "0123456789"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "［］（）＞＜≥≤％：，。、“”—·"
)
SAMPLE = "规划指标台账专栏城镇新增就业人数约束性预期性［＞２３．５］ 2025年 ≥95%"


def _strings(node):
    """Every string value in a parsed JSON document (dict keys are identifiers)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _template_chars() -> dict[str, str]:
    """{character: first template file using it}, for every resources/templates/*.json."""
    chars: dict[str, str] = {}
    for path in sorted(TEMPLATE_DIR.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for text in _strings(doc):
            for ch in text:
                chars.setdefault(ch, path.name)
    return chars


def _needs_outline(ch: str) -> bool:
    """Spaces legitimately have empty glyphs; control characters are never drawn."""
    return not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"))


def _required_chars() -> dict[str, str]:
    required = {ch: "UI/report labels" for ch in LABELS + ASCII_AND_SYMBOLS}
    for ch, origin in _template_chars().items():
        required.setdefault(ch, origin)
    return required


class _Font:
    """cmap (via reportlab) and, per glyph, the glyf header's number of contours."""

    def __init__(self, path: Path):
        self.path = path
        self.ttf = TTFontFile(str(path))
        self.cmap: dict[int, int] = self.ttf.charToGlyph
        self.tags = set(self.ttf.table)
        head = self.ttf.get_table("head")
        long_loca = struct.unpack(">h", head[50:52])[0] == 1
        loca = self.ttf.get_table("loca")
        fmt, scale = (">%dL", 1) if long_loca else (">%dH", 2)
        count = len(loca) // (4 if long_loca else 2)
        self.loca = [x * scale for x in struct.unpack(fmt % count, loca)]
        self.glyf = self.ttf.get_table("glyf")

    def contours(self, glyph: int) -> int:
        """> 0 contours, -1 composite (components), 0 empty."""
        start, end = self.loca[glyph], self.loca[glyph + 1]
        if end <= start:
            return 0
        return struct.unpack(">h", self.glyf[start : start + 2])[0]

    def name_table(self) -> bytes:
        return self.ttf.get_table("name")


@functools.lru_cache(maxsize=None)
def _font(name: str) -> _Font:
    path = FONT_DIR / name
    if not path.is_file():
        pytest.fail(f"{path} missing: run python installer/fonts/build_fonts.py")
    return _Font(path)


@pytest.fixture(scope="module", params=FONT_FILES)
def font_name(request) -> str:
    return request.param


def test_fonts_are_truetype_outlines_and_small(font_name):
    path = FONT_DIR / font_name
    font = _font(font_name)
    assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert "glyf" in font.tags and "CFF " not in font.tags, "reportlab needs TrueType (glyf) outlines"
    assert path.stat().st_size <= MAX_BYTES


def test_every_required_character_has_an_outline(font_name):
    font = _font(font_name)
    cmap = font.cmap
    missing, empty = [], []
    for ch, origin in sorted(_required_chars().items()):
        if ch in "\r\n\t":
            continue
        glyph = cmap.get(ord(ch))
        if glyph is None or glyph == 0:  # 0 is .notdef
            missing.append(f"{ch!r} U+{ord(ch):04X} ({origin})")
        elif _needs_outline(ch):
            if font.contours(glyph) == 0:
                empty.append(f"{ch!r} U+{ord(ch):04X} ({origin})")
    assert not (missing or empty), (
        f"{font_name}: no glyph for [{', '.join(missing)}]; empty outline for [{', '.join(empty)}]"
    )


def test_whole_gbk_hanzi_repertoire_is_mapped(font_name):
    cmap = _font(font_name).cmap
    missing = [
        chr(cp)
        for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
        for cp in range(lo, hi + 1)
        if cp not in cmap and _encodes_gbk(cp)
    ]
    assert not missing, f"{font_name}: {len(missing)} GBK Hanzi unmapped: {''.join(missing[:50])}"


def _encodes_gbk(cp: int) -> bool:
    try:
        chr(cp).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def test_names_respect_the_ofl_reserved_font_name(font_name):
    """A Modified Version must not use the Reserved Font Name 'Source' (OFL 1.1 §3)."""
    font = _font(font_name)
    family = font.ttf.familyName
    family = family.decode() if isinstance(family, bytes) else family
    assert family in ("Noto Sans SC", "Noto Serif SC")
    raw = font.name_table()  # Windows records are UTF-16BE; look for any encoding
    for word in ("Source", "思源"):
        for enc in ("utf-16-be", "utf-8", "latin-1"):
            try:
                needle = word.encode(enc)
            except UnicodeEncodeError:
                continue
            assert needle not in raw, f"{font_name}: name table contains {word!r}"
    assert "Open Font License".encode("utf-16-be") in raw
    assert (FONT_DIR / "OFL.txt").is_file()


@functools.lru_cache(maxsize=None)
def _registered(font_name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    face = "PL-" + Path(font_name).stem
    pdfmetrics.registerFont(TTFont(face, str(FONT_DIR / font_name)))
    return face


def test_reportlab_embeds_the_font(font_name, tmp_path):
    from reportlab.pdfgen import canvas

    face = _registered(font_name)
    pdf = tmp_path / "sample.pdf"
    c = canvas.Canvas(str(pdf))
    c.setFont(face, 14)
    c.drawString(40, 760, SAMPLE)
    c.save()
    data = pdf.read_bytes()
    assert b"/FontFile2" in data, "no embedded TrueType font program"

    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) not installed")
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines() if Path(font_name).stem in line]
    assert rows, out
    # name type [type2] encoding emb sub uni object ID: the three flags are columns -5..-3
    emb, sub, uni = rows[0][-5:-2]
    assert (emb, sub, uni) == ("yes", "yes", "yes"), out

    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "规划指标台账" in text, text
