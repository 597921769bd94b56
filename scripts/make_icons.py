"""Draws the PWA's PNG icons (192, 512 and a maskable 512) into pwa/icons/.

Run: .venv/bin/python scripts/make_icons.py   (Pillow is in requirements-dev.txt)
Drawn, not copied: a navy tile with a white shield and a check mark.
"""

from pathlib import Path

from PIL import Image, ImageDraw

NAVY = (18, 53, 91, 255)
WHITE = (255, 255, 255, 255)
GOLD = (242, 169, 0, 255)
OUT = Path(__file__).resolve().parents[1] / "pwa" / "icons"
SUPERSAMPLE = 4


def shield(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    """A shield with a check, centred, `scale` of the canvas wide."""
    width = size * scale
    left, top = (size - width) / 2, size * (0.5 - scale * 0.58)
    right, bottom = left + width, size * (0.5 + scale * 0.62)
    mid = size / 2
    shoulder = top + width * 0.55
    draw.polygon(
        [(left, top + width * 0.12), (mid, top), (right, top + width * 0.12), (right, shoulder), (mid, bottom), (left, shoulder)],
        fill=WHITE,
    )
    stroke = max(2, int(width * 0.11))
    draw.line(
        [(mid - width * 0.22, mid + width * 0.02), (mid - width * 0.04, mid + width * 0.2), (mid + width * 0.26, mid - width * 0.16)],
        fill=GOLD, width=stroke, joint="curve",
    )


def icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # Full bleed; the shield stays inside the 80% safe zone any mask shape keeps.
        draw.rectangle([0, 0, big, big], fill=NAVY)
        shield(draw, big, 0.46)
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.2, fill=NAVY)
        shield(draw, big, 0.58)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    icon(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
