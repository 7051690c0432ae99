"""Build the bundled CJK fonts in ``resources/fonts/`` from Debian's Noto CJK.

Why
---
The app prints Chinese reports with reportlab and shows a Chinese Qt UI on
office PCs that may have no Chinese font at all, so it ships its own fonts.

* reportlab embeds only TrueType-outline (``glyf``) fonts; it refuses the
  CFF/PostScript outlines of Noto CJK as distributed (``.otf``/``.ttc``:
  "postscript outlines are not supported").  This script converts the CFF
  cubic outlines to TrueType quadratic outlines with fontTools' cu2qu
  (max error 1 font unit of 1000/em: invisible at any print size).
* The full fonts hold ~65,000 glyphs for JP/KR/SC/TC/HK (~20-27 MB each,
  more after conversion).  We keep only the Simplified-Chinese face and
  subset it to ASCII, Latin-1, common punctuation and symbols, CJK and
  full-width punctuation, and the whole GBK repertoire (every BMP code
  point that encodes in Python's ``gbk`` codec, which includes all 21,003
  GBK Hanzi, so names typed in county offices print) -- about 10 MB a file.
* Hinting is dropped (``--no-hinting``) and so are the OpenType layout
  tables (GSUB/GPOS/GDEF/BASE): horizontal CJK text needs none of them.
  Glyph names (``post`` format 2) and the ``cmap`` are kept.
* The fonts are SIL OFL 1.1.  A converted, subset font is a "Modified
  Version", which must not use the Reserved Font Name ("Source"); the name
  table is rewritten to "Noto Sans SC" / "Noto Serif SC" and checked to
  contain neither "Source" nor 思源.  The copyright and licence records stay.

Outputs (overwritten)::

    resources/fonts/NotoSerifSC-Regular.ttf   Song-style serif, report bodies
    resources/fonts/NotoSansSC-Regular.ttf    Hei-style sans, the UI
    resources/fonts/NotoSansSC-Bold.ttf       Hei-style bold, headings

How to run (Debian/Ubuntu; fontTools is a build-time tool only, not a
runtime dependency of the app)::

    apt-get install -y --no-install-recommends fonts-noto-cjk
    pip install fonttools
    python installer/fonts/build_fonts.py            # ~1-2 min on 2 cores
    python -m pytest tests/test_fonts.py

Options: ``--src DIR`` (folder with NotoSansCJK-*.ttc / NotoSerifCJK-*.ttc;
default: Debian's path, else found with ``fc-list``), ``--out DIR``,
``--jobs N`` (parallel processes, default 2; each needs ~0.5 GB RAM).

The output depends only on the input fonts and the fontTools version (both
printed): re-running with the same inputs gives byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fontTools import subset, version as fonttools_version
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "resources" / "fonts"
DEBIAN_DIR = Path("/usr/share/fonts/opentype/noto")

# cu2qu tolerance in font units (em = 1000).  1.0 is fontTools' default for
# otf2ttf; the error is < 0.04 mm at 10.5 pt.
MAX_ERR = 1.0

# (output file, source .ttc, Windows family name, subfamily, PostScript name)
FONTS = [
    ("NotoSerifSC-Regular.ttf", "NotoSerifCJK-Regular.ttc", "Noto Serif SC", "Regular", "NotoSerifSC-Regular"),
    ("NotoSansSC-Regular.ttf", "NotoSansCJK-Regular.ttc", "Noto Sans SC", "Regular", "NotoSansSC-Regular"),
    ("NotoSansSC-Bold.ttf", "NotoSansCJK-Bold.ttc", "Noto Sans SC", "Bold", "NotoSansSC-Bold"),
]
SC_FAMILY_PREFIX = ("Noto Sans CJK SC", "Noto Serif CJK SC")

# Code point ranges kept in full (only what the source font actually has).
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: × ÷ ± · ° § ¥ ...
    (0x2000, 0x206F),  # general punctuation: “ ” ‘ ’ — … ‰ ※ ...
    (0x20A0, 0x20CF),  # currency symbols: €
    (0x2100, 0x218F),  # letterlike (℃ № ™) and number forms (Ⅰ Ⅱ ...)
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics: ① ... ⑳ ⑴ ⒈
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〔〕《》「」【】　〇
    (0x3200, 0x32FF),  # enclosed CJK: ㈠ ㊣
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms: ［＞２３．５］
]
# Listed explicitly so a change of ranges can never drop them.
EXTRA = "①②③④⑤⑥⑦⑧⑨⑩℃№×÷±≥≤≈∶～·※√°‰§"

# CJK Unified Ideographs blocks searched for GBK Hanzi.
HAN_BLOCKS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]


def _encodes_in_gbk(cp: int) -> bool:
    try:
        chr(cp).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def gbk_codepoints() -> set[int]:
    """Every BMP code point Python's ``gbk`` codec encodes (PUA excluded)."""
    out = set()
    for cp in range(0x20, 0x10000):
        if 0xD800 <= cp <= 0xDFFF or 0xE000 <= cp <= 0xF8FF:
            continue  # surrogates; private use (GBK user-defined areas)
        if cp >= 0x80 and _encodes_in_gbk(cp):
            out.add(cp)
    return out


def gbk_hanzi() -> set[int]:
    return {cp for lo, hi in HAN_BLOCKS for cp in range(lo, hi + 1) if _encodes_in_gbk(cp)}


def wanted_codepoints() -> set[int]:
    cps = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)}
    cps |= {ord(c) for c in EXTRA}
    cps |= gbk_codepoints()
    return cps


def find_source_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    if (DEBIAN_DIR / "NotoSansCJK-Regular.ttc").exists():
        return DEBIAN_DIR
    try:
        listing = subprocess.run(["fc-list", ":", "file"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        listing = ""
    for line in listing.splitlines():
        path = Path(line.split(":")[0].strip())
        if path.name == "NotoSansCJK-Regular.ttc":
            return path.parent
    sys.exit("Noto CJK .ttc files not found: apt-get install fonts-noto-cjk, or pass --src DIR")


def open_sc_face(ttc: Path) -> TTFont:
    """Open the Simplified-Chinese face of a Noto CJK collection."""
    for number in range(16):
        try:
            font = TTFont(ttc, fontNumber=number, lazy=True)
        except Exception:  # ran past the last face
            break
        if font["name"].getDebugName(1) in SC_FAMILY_PREFIX:
            font.close()
            return TTFont(ttc, fontNumber=number)  # non-lazy for subsetting
        font.close()
    raise SystemExit(f"no SC face in {ttc}")


def subset_font(font: TTFont, unicodes: set[int]) -> None:
    opts = subset.Options()
    opts.hinting = False  # --no-hinting
    opts.desubroutinize = True
    opts.glyph_names = True  # keep post glyph names
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.layout_features = []
    opts.drop_tables = list(opts.drop_tables) + ["GSUB", "GPOS", "GDEF", "BASE", "DSIG"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """Replace CFF outlines by TrueType quadratic ones (as fontTools' otf2ttf)."""
    assert font.sfntVersion == "OTTO" and "CFF " in font
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    quad = {}
    for name in order:
        pen = TTGlyphPen(glyphset)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyphset[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        quad[name] = pen.glyph()

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = quad
    del font["CFF "]
    if "VORG" in font:  # CFF-only table
        del font["VORG"]
    glyf.compile(font)  # computes bounding boxes

    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        if hasattr(g, "xMin"):  # lsb must equal xMin in TrueType
            hmtx[name] = (hmtx[name][0], g.xMin)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.compile(font)

    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, family: str, style: str, psname: str, version: str) -> None:
    """Give the Modified Version its own names; keep copyright and licence."""
    name = font["name"]
    full = family if style == "Regular" else f"{family} {style}"
    records = {
        1: family,
        2: style,
        3: f"{version};PlanLedger;{psname}",
        4: full,
        6: psname,
    }
    # Drop the old naming records (all platforms/languages), then write ours
    # for Windows English and Simplified Chinese (Qt uses the Windows records).
    name.names = [r for r in name.names if r.nameID not in (1, 2, 3, 4, 6, 16, 17)]
    for nid, text in records.items():
        name.setName(text, nid, 3, 1, 0x409)
    for nid in (1, 2, 4):
        name.setName(records[nid], nid, 3, 1, 0x804)
    old_version = name.getDebugName(5) or ""
    name.setName(
        f"{old_version}; converted to TrueType outlines and subset to GBK (Plan Ledger build_fonts.py)",
        5, 3, 1, 0x409,
    )
    # Mac-platform duplicates only bloat the table and would keep old names.
    name.names = [r for r in name.names if r.platformID == 3]
    for rec in name.names:
        text = rec.toUnicode()
        assert "Source" not in text and "思源" not in text, (rec.nameID, text)
    if "CFF " in font:
        font["CFF "].cff.fontNames = [psname]


def build_one(job: tuple[str, str, str, str, str, str, str]) -> tuple[str, int, int, float]:
    out_name, src_name, family, style, psname, src_dir, out_dir = job
    t0 = time.monotonic()
    font = open_sc_face(Path(src_dir) / src_name)
    version = f"{font['head'].fontRevision:.3f}"
    subset_font(font, wanted_codepoints())
    rename(font, family, style, psname, version)
    cff_to_glyf(font)
    out = Path(out_dir) / out_name
    font.recalcTimestamp = False  # keep the source's head.modified: byte-identical rebuilds
    font.save(out, reorderTables=True)
    nglyphs = len(font.getGlyphOrder())
    font.close()
    return out_name, nglyphs, out.stat().st_size, time.monotonic() - t0


def check(out_dir: Path) -> None:
    """Cheap sanity checks on the written files."""
    hanzi = gbk_hanzi()
    for out_name, *_ in FONTS:
        font = TTFont(out_dir / out_name)
        assert font.sfntVersion == "\x00\x01\x00\x00" and "glyf" in font and "CFF " not in font
        cmap = font.getBestCmap()
        missing = sorted(cp for cp in hanzi if cp not in cmap)
        glyf = font["glyf"]
        empty = [chr(cp) for cp in hanzi if cp in cmap and glyf[cmap[cp]].numberOfContours == 0]
        print(f"  {out_name}: {len(cmap)} code points, GBK Hanzi missing {len(missing)}"
              f"{' ' + ''.join(map(chr, missing[:20])) if missing else ''}, empty outlines {len(empty)}")
        assert not empty
        font.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", help="folder with the Noto CJK .ttc files")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default resources/fonts)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel processes (default 2)")
    args = ap.parse_args(argv)

    src = find_source_dir(args.src)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"fontTools {fonttools_version}; source {src}; output {out}")
    t0 = time.monotonic()
    jobs = [(*f, str(src), str(out)) for f in FONTS]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for out_name, nglyphs, size, secs in pool.map(build_one, jobs):
            print(f"  {out_name}: {nglyphs} glyphs, {size / 1e6:.2f} MB, {secs:.0f} s")
    check(out)
    print(f"done in {time.monotonic() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
