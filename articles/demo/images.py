"""Pictures for the demo content, drawn with Pillow: a gradient sky and a simple motif."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _shade(rgb, factor):
    return tuple(max(0, min(255, int(channel * factor))) for channel in rgb)


def _gradient(top, bottom, size):
    width, height = size
    canvas = Image.new("RGB", size)
    draw = ImageDraw.Draw(canvas)
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return canvas


def _skyline(draw, rng, ink):
    x = 0
    while x < WIDTH:
        w = rng.randint(60, 160)
        h = rng.randint(180, 560)
        draw.rectangle([x, HEIGHT - h, x + w, HEIGHT], fill=ink)
        for wy in range(HEIGHT - h + 20, HEIGHT - 20, 36):
            for wx in range(x + 12, x + w - 16, 28):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 10, wy + 16], fill=_shade(ink, 2.2))
        x += w + rng.randint(4, 20)


def _sea(draw, rng, ink):
    for band in range(9):
        y = HEIGHT * 0.5 + band * 48
        points = [(x, y + 14 * ((x // 40 + band) % 2)) for x in range(0, WIDTH + 40, 40)]
        draw.line(points, fill=_shade(ink, 1 + band * 0.08), width=6)
    hull_y = HEIGHT * 0.5 - 10
    draw.polygon([(520, hull_y), (1080, hull_y), (1020, hull_y + 60), (580, hull_y + 60)], fill=ink)
    for i in range(6):
        draw.rectangle(
            [600 + i * 70, hull_y - 60, 660 + i * 70, hull_y], fill=_shade(ink, 1.3 + 0.1 * i)
        )


def _mountains(draw, rng, ink):
    for layer, factor in enumerate((2.4, 1.7, 1.0)):
        base = HEIGHT - 120 * layer
        x = -200
        while x < WIDTH + 200:
            w = rng.randint(300, 600)
            peak = base - rng.randint(250, 480)
            draw.polygon([(x, base), (x + w // 2, peak), (x + w, base)], fill=_shade(ink, factor))
            x += w // 2
        draw.rectangle([0, base, WIDTH, HEIGHT], fill=_shade(ink, factor))


def _map(draw, rng, ink):
    for x in range(0, WIDTH, 80):
        draw.line([(x, 0), (x, HEIGHT)], fill=_shade(ink, 1.8), width=1)
    for y in range(0, HEIGHT, 80):
        draw.line([(0, y), (WIDTH, y)], fill=_shade(ink, 1.8), width=1)
    for _ in range(5):
        cx, cy = rng.randint(200, WIDTH - 200), rng.randint(150, HEIGHT - 150)
        points = [
            (cx + rng.randint(-220, 220), cy + rng.randint(-160, 160))
            for _ in range(rng.randint(5, 9))
        ]
        draw.polygon(points, fill=ink, outline=_shade(ink, 2))
    for _ in range(4):
        x, y = rng.randint(100, WIDTH - 100), rng.randint(100, HEIGHT - 100)
        draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=(245, 245, 240))


def _factory(draw, rng, ink):
    draw.rectangle([0, HEIGHT - 260, WIDTH, HEIGHT], fill=ink)
    for i in range(7):
        x = 120 + i * 210
        draw.polygon(
            [(x, HEIGHT - 260), (x + 100, HEIGHT - 360), (x + 100, HEIGHT - 260)], fill=ink
        )
    for x in (300, 700, 1150):
        draw.rectangle([x, HEIGHT - 620, x + 60, HEIGHT - 260], fill=_shade(ink, 0.8))
        for puff in range(4):
            r = 40 + puff * 18
            cy = HEIGHT - 680 - puff * 70
            draw.ellipse(
                [x + 30 - r + puff * 30, cy - r, x + 30 + r + puff * 30, cy + r],
                fill=_shade(ink, 2.4 + puff * 0.2),
            )


def _crowd(draw, rng, ink):
    for row in range(6):
        y = HEIGHT - 80 - row * 70
        for _ in range(34):
            x = rng.randint(-40, WIDTH + 40)
            colour = _shade(ink, 0.8 + row * 0.15)
            draw.ellipse([x - 26, y - 120, x + 26, y - 68], fill=colour)
            draw.rounded_rectangle([x - 44, y - 66, x + 44, y + 80], radius=30, fill=colour)
    for _ in range(5):
        x = rng.randint(150, WIDTH - 150)
        draw.rectangle([x, 140, x + 8, 420], fill=_shade(ink, 0.7))
        draw.rectangle([x + 8, 140, x + 180, 240], fill=_shade(ink, 1.9))


def _portrait(draw, rng, ink):
    draw.ellipse([WIDTH / 2 - 190, 130, WIDTH / 2 + 190, 510], fill=ink)
    draw.ellipse([WIDTH / 2 - 420, 540, WIDTH / 2 + 420, 1400], fill=ink)


MOTIFS = {
    "skyline": _skyline,
    "sea": _sea,
    "mountains": _mountains,
    "map": _map,
    "factory": _factory,
    "crowd": _crowd,
    "portrait": _portrait,
}


def draw_picture(palette, motif, seed, square=False):
    """Return JPEG bytes of a generated picture; the same seed always draws the same one."""
    rng = random.Random(seed)
    top, bottom = _hex(palette[0]), _hex(palette[-1])
    picture = _gradient(top, bottom, (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(picture)
    MOTIFS.get(motif, _skyline)(draw, rng, _shade(bottom, 0.35))
    picture = picture.filter(ImageFilter.SMOOTH)
    if square:
        left = (WIDTH - HEIGHT) // 2
        picture = picture.crop((left, 0, left + HEIGHT, HEIGHT)).resize(
            (480, 480), Image.Resampling.LANCZOS
        )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()
