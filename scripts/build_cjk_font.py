"""Rebuild the CJK font the platform embeds in its PDFs (src/sunshine/core/fonts/wqy-microhei-gb2312.ttf):
WenQuanYi Micro Hei (文泉驿微米黑, Apache-2.0 or GPLv3 with the font exception; Debian package
``fonts-wqy-microhei``) subset with fontTools to the GB2312 characters, ASCII, Latin-1 and the CJK and
full-width punctuation, so the package stays small and every letter renders anywhere.

    apt-get download fonts-wqy-microhei && dpkg-deb -x fonts-wqy-microhei_*.deb /tmp/wqy
    pip install fonttools
    python scripts/build_cjk_font.py /tmp/wqy/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

OUT = Path(__file__).resolve().parent.parent / "src" / "sunshine" / "core" / "fonts" / "wqy-microhei-gb2312.ttf"
EXTRA = {0x00D7, 0x2103, 0x2116, 0x2160, 0x2161, 0x2162, 0x2163, 0x2164, 0x2460, 0x2461, 0x2462, 0x25CB, 0x25CF}


def gb2312() -> set[int]:
    """Every character GB2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    found: set[int] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def codepoints() -> set[int]:
    points = gb2312() | EXTRA
    points |= set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))  # ASCII, Latin-1
    points |= set(range(0x2010, 0x2060))  # general punctuation: dashes, quotes, ellipsis, ‰
    points |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation: 、。《》「」【】〔〕
    points |= set(range(0xFF00, 0xFFF0))  # full-width forms: ，：；（）％
    return points


def main(source: str) -> None:
    font = TTCollection(source).fonts[0]  # face 0: WenQuanYi Micro Hei (proportional)
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints()))
    subsetter.subset(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
