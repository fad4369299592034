"""Make a contact sheet PNG of a PDF's pages (or of a deck, through LibreOffice).

    python tools/contact_sheet.py build/summit.pdf docs/summit-report.png --cols 4
    python tools/contact_sheet.py build/summit.pptx docs/summit-deck.png --cols 4

Needs pdftoppm (poppler-utils), and soffice for a .pptx. A tool for the docs,
not part of the package.
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import tempfile

from PIL import Image, ImageDraw


def pages(path: str, work: str, dpi: int) -> list[str]:
    """Return PNG files of every page of ``path`` (a PDF or PPTX), rendered into ``work``."""
    if path.endswith(".pptx"):
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{work}/lo", "--headless", "--convert-to", "pdf", "--outdir", work, path],
            check=True, capture_output=True,
        )
        path = os.path.join(work, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), path, os.path.join(work, "p")], check=True)
    return sorted(glob.glob(os.path.join(work, "p-*.png")))


def sheet(files: list[str], cols: int, gap: int = 16) -> Image.Image:
    """Return the images of ``files`` tiled ``cols`` wide on a grey background."""
    images = [Image.open(f).convert("RGB") for f in files]
    w = max(i.width for i in images)
    h = max(i.height for i in images)
    rows = (len(images) + cols - 1) // cols
    out = Image.new("RGB", (cols * w + (cols + 1) * gap, rows * h + (rows + 1) * gap), (208, 212, 218))
    draw = ImageDraw.Draw(out)
    for n, img in enumerate(images):
        x = gap + (n % cols) * (w + gap)
        y = gap + (n // cols) * (h + gap)
        draw.rectangle([x + 3, y + 3, x + img.width + 3, y + img.height + 3], fill=(170, 175, 184))
        out.paste(img, (x, y))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("document")
    ap.add_argument("png")
    ap.add_argument("--cols", type=int, default=4)
    ap.add_argument("--dpi", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        files = pages(os.path.abspath(args.document), work, args.dpi)
        sheet(files, args.cols).save(args.png, optimize=True)
    print(f"{args.png}: {len(files)} pages")


if __name__ == "__main__":
    main()
