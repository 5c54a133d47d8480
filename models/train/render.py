"""Seeded procedural renderer for the mirage-tiny world.

A scene is a plain dict (subjects, colours, sizes, positions, background and
style-axis settings).  `sample_scene` draws one from a numpy Generator and
`render` turns it into an RGB uint8 array.  Everything is deterministic given
the seed, so the data set, the held-out evaluation prompts and the judge's
training renders can all be regenerated from the repo.

Shapes are drawn with PIL at SS× the target resolution and box-filtered down,
which gives clean anti-aliased coverage masks cheaply; colour work (shading,
outlines, global style transforms) is then done in numpy at the target size.
"""
import math
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SS = 4  # supersampling factor for anti-aliasing

SUBJECTS = ["circle", "square", "triangle", "star", "ring", "heart",
            "house", "tree", "moon", "fish", "boat", "flower"]

COLOURS = {
    "red": (0.86, 0.13, 0.13),
    "orange": (0.97, 0.52, 0.08),
    "yellow": (0.98, 0.85, 0.12),
    "green": (0.16, 0.62, 0.22),
    "blue": (0.13, 0.33, 0.86),
    "purple": (0.53, 0.22, 0.74),
    "pink": (0.98, 0.55, 0.76),
    "white": (0.97, 0.97, 0.97),
    "black": (0.07, 0.07, 0.07),
}

BACKGROUNDS = ["plain", "sunset", "night", "meadow", "sea", "snow"]

# Colour/background pairs with too little contrast to be judged (or drawn)
# reliably; the renderer never produces them.
LOW_CONTRAST = {
    ("white", "plain"), ("white", "snow"), ("black", "night"),
    ("green", "meadow"), ("blue", "sea"), ("orange", "sunset"),
    ("pink", "sunset"),
}

SIZES = ["small", "large"]
SIZE_FRACTION = {"small": 0.30, "large": 0.52}  # of min(width, height)

POSITIONS = ["left", "right", "top", "bottom", "centre"]
ANCHORS = {"left": (0.27, 0.5), "right": (0.73, 0.5), "top": (0.5, 0.28),
           "bottom": (0.5, 0.72), "centre": (0.5, 0.5)}

# Style axes: value -1 = first phrase, +1 = second phrase, 0 = unspecified
# (rendered as the neutral middle for continuous axes, as the "off" pole for
# the on/off axes outline, shading and detail).
STYLE_AXES = ["saturation", "temperature", "brightness", "outline", "shading", "detail"]

# Aspect-ratio buckets: (width, height) in pixels, about 128*128 pixels of
# area, multiples of 16 so latents (÷8) are even, which the UNet's 2x2
# patchify needs.  Computed by `bucket_table` and frozen here.
ASPECT_RATIOS = ["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"]


def bucket_table(base=128, multiple=16):
    """Pick, for every aspect ratio, the multiple-of-16 size closest to the
    base area at that ratio (ratio error weighted over area error)."""
    area = base * base
    table = {}
    for ar in ASPECT_RATIOS:
        a, b = (int(x) for x in ar.split(":"))
        r = a / b
        best = None
        for w in range(multiple, 4 * base, multiple):
            for h in range(multiple, 4 * base, multiple):
                cost = abs(math.log(w / h / r)) + 0.5 * abs(math.log(w * h / area))
                if best is None or cost < best[0]:
                    best = (cost, w, h)
        table[ar] = (best[1], best[2])
    return table


BUCKETS = bucket_table()


def _stable_hash(*parts):
    return zlib.crc32("|".join(parts).encode())


def is_heldout(subject, colour, background):
    """About 1 in 8 (subject, colour, background) triples never appears in
    training; the evaluation prompts are drawn only from these, so the eval
    measures generalisation to unseen combinations."""
    return _stable_hash(subject, colour, background) % 8 == 0


def valid_pair(colour, background):
    return (colour, background) not in LOW_CONTRAST


# --------------------------------------------------------------------------
# Scene sampling

def sample_scene(rng, split="train", n_objects=None):
    """Draw a scene.  split='train' avoids held-out triples, 'heldout'
    forces every object into a held-out triple, 'any' allows both."""
    background = BACKGROUNDS[rng.integers(len(BACKGROUNDS))]
    if n_objects is None:
        n_objects = 1 if rng.random() < 0.8 else 2
    if n_objects == 1:
        positions = [POSITIONS[rng.integers(len(POSITIONS))]]
    else:
        pair = [("left", "right"), ("top", "bottom")][rng.integers(2)]
        positions = list(pair) if rng.random() < 0.5 else list(pair[::-1])
    objects = []
    for pos in positions:
        while True:
            subject = SUBJECTS[rng.integers(len(SUBJECTS))]
            colour = list(COLOURS)[rng.integers(len(COLOURS))]
            if not valid_pair(colour, background):
                continue
            held = is_heldout(subject, colour, background)
            if split != "any" and (split == "train") == held:
                continue
            break
        objects.append({"subject": subject, "colour": colour,
                        "size": SIZES[rng.integers(2)], "position": pos})
    styles = {}
    for axis in STYLE_AXES:
        u = rng.random()
        styles[axis] = 0 if u < 0.5 else (-1 if u < 0.75 else 1)
    return {"objects": objects, "background": background, "styles": styles,
            "jitter_seed": int(rng.integers(2**31))}


# --------------------------------------------------------------------------
# Shapes.  Each subject is a list of layers: ("base" | shade, [primitives]).
# Primitives are in object units: the object's bounding box is [-0.5, 0.5]^2,
# y pointing down.  ("poly", pts), ("ellipse", cx, cy, rx, ry, fill), where
# fill=0 cuts a hole.  Accent layers use the object colour darkened
# (shade < 1) or mixed towards white (shade > 1, amount shade - 1).

def _star(n=5, r_out=0.5, r_in=0.21, dy=0.04):
    pts = []
    for i in range(2 * n):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / n
        pts.append((r * math.cos(a), r * math.sin(a) + dy))
    return pts


def _heart():
    pts = []
    for i in range(64):
        t = 2 * math.pi * i / 64
        x = 16 * math.sin(t) ** 3
        y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
        pts.append((x / 33.0, (y + 2.5) / 33.0))
    return pts


SHAPES = {
    "circle": [("base", [("ellipse", 0, 0, 0.5, 0.5, 1)])],
    "square": [("base", [("poly", [(-0.42, -0.42), (0.42, -0.42), (0.42, 0.42), (-0.42, 0.42)])])],
    "triangle": [("base", [("poly", [(0, -0.48), (0.5, 0.42), (-0.5, 0.42)])])],
    "star": [("base", [("poly", _star())])],
    "ring": [("base", [("ellipse", 0, 0, 0.5, 0.5, 1), ("ellipse", 0, 0, 0.29, 0.29, 0)])],
    "heart": [("base", [("poly", _heart())])],
    "house": [("base", [("poly", [(-0.38, -0.06), (0.38, -0.06), (0.38, 0.48), (-0.38, 0.48)]),
                        ("poly", [(-0.5, -0.04), (0, -0.48), (0.5, -0.04)])]),
              (0.5, [("poly", [(-0.1, 0.16), (0.1, 0.16), (0.1, 0.48), (-0.1, 0.48)])]),
              (1.5, [("poly", [(0.16, 0.04), (0.3, 0.04), (0.3, 0.18), (0.16, 0.18)])])],
    "tree": [("base", [("ellipse", 0, -0.14, 0.36, 0.36, 1),
                       ("poly", [(-0.08, 0.12), (0.08, 0.12), (0.08, 0.5), (-0.08, 0.5)])]),
             (0.5, [("poly", [(-0.08, 0.2), (0.08, 0.2), (0.08, 0.5), (-0.08, 0.5)])])],
    "moon": [("base", [("ellipse", 0, 0, 0.48, 0.48, 1), ("ellipse", 0.22, -0.1, 0.4, 0.4, 0)])],
    "fish": [("base", [("ellipse", -0.1, 0, 0.36, 0.24, 1),
                       ("poly", [(0.2, 0), (0.5, -0.26), (0.5, 0.26)])]),
             (0.3, [("ellipse", -0.28, -0.05, 0.05, 0.05, 1)])],
    "boat": [("base", [("poly", [(-0.5, 0.14), (0.5, 0.14), (0.34, 0.42), (-0.34, 0.42)]),
                       ("poly", [(-0.025, -0.48), (0.025, -0.48), (0.025, 0.14), (-0.025, 0.14)]),
                       ("poly", [(0.05, -0.44), (0.05, 0.08), (0.4, 0.08)])]),
             (1.5, [("poly", [(0.05, -0.44), (0.05, 0.08), (0.4, 0.08)])])],
    "flower": [("base", [("ellipse", 0.29 * math.cos(a), 0.29 * math.sin(a), 0.18, 0.18, 1)
                         for a in [2 * math.pi * k / 6 for k in range(6)]]
                + [("ellipse", 0, 0, 0.2, 0.2, 1)]),
               (0.45, [("ellipse", 0, 0, 0.15, 0.15, 1)])],
}


def _draw_mask(prims, W, H, cx, cy, s):
    """Coverage mask (H, W) float32 in [0, 1] for primitives placed with
    centre (cx, cy) and box size s, all in target pixels."""
    img = Image.new("L", (W * SS, H * SS), 0)
    d = ImageDraw.Draw(img)
    k = SS
    for p in prims:
        if p[0] == "poly":
            pts = [((cx + x * s) * k, (cy + y * s) * k) for x, y in p[1]]
            d.polygon(pts, fill=255)
        else:
            _, ex, ey, rx, ry, fill = p
            box = [(cx + (ex - rx) * s) * k, (cy + (ey - ry) * s) * k,
                   (cx + (ex + rx) * s) * k, (cy + (ey + ry) * s) * k]
            d.ellipse(box, fill=255 if fill else 0)
    img = img.resize((W, H), Image.BOX)
    return np.asarray(img, dtype=np.float32) / 255.0


# --------------------------------------------------------------------------
# Backgrounds

def _vgrad(H, W, stops):
    """Vertical gradient through (position, rgb) stops."""
    y = (np.arange(H, dtype=np.float32) + 0.5) / H
    out = np.zeros((H, 3), np.float32)
    pos = [p for p, _ in stops]
    for c in range(3):
        out[:, c] = np.interp(y, pos, [col[c] for _, col in stops])
    return np.repeat(out[:, None, :], W, axis=1)


def _horizon(H, W, frac, sky, ground, softness=0.02):
    y = (np.arange(H, dtype=np.float32) + 0.5) / H
    t = np.clip((y - frac) / softness + 0.5, 0, 1)[:, None, None]
    return sky * (1 - t) + ground * t


def _dots(img, rng, n, colour, rmin, rmax, ymax=1.0):
    H, W, _ = img.shape
    for _ in range(n):
        cx, cy = rng.random() * W, rng.random() * H * ymax
        r = rmin + rng.random() * (rmax - rmin)
        m = _draw_mask([("ellipse", 0, 0, 1, 1, 1)], W, H, cx, cy, r)[:, :, None]
        img[:] = img * (1 - m) + np.asarray(colour, np.float32) * m


def render_background(name, W, H, rng):
    if name == "plain":
        return np.full((H, W, 3), (0.93, 0.91, 0.86), np.float32)
    if name == "sunset":
        return _vgrad(H, W, [(0.0, (0.30, 0.17, 0.45)), (0.5, (0.92, 0.42, 0.48)),
                             (1.0, (1.0, 0.72, 0.32))])
    if name == "night":
        img = _vgrad(H, W, [(0.0, (0.02, 0.03, 0.12)), (1.0, (0.08, 0.10, 0.27))])
        _dots(img, rng, int(W * H / 700), (0.95, 0.95, 0.85), 0.35, 0.8)
        return img
    if name == "meadow":
        sky = _vgrad(H, W, [(0.0, (0.45, 0.70, 0.95)), (1.0, (0.72, 0.86, 0.97))])
        grass = _vgrad(H, W, [(0.0, (0.38, 0.70, 0.28)), (1.0, (0.24, 0.52, 0.18))])
        return _horizon(H, W, 0.66, sky, grass)
    if name == "sea":
        sky = _vgrad(H, W, [(0.0, (0.62, 0.80, 0.97)), (1.0, (0.85, 0.92, 0.98))])
        sea = _vgrad(H, W, [(0.0, (0.10, 0.45, 0.72)), (1.0, (0.04, 0.25, 0.50))])
        img = _horizon(H, W, 0.55, sky, sea, 0.01)
        # wave crests: short light dashes on the water
        for _ in range(int(W * H / 1200)):
            x, y = rng.random() * W, H * (0.6 + 0.38 * rng.random())
            m = _draw_mask([("ellipse", 0, 0, 1, 0.25, 1)], W, H, x, y, 4.0)[:, :, None]
            img = img * (1 - 0.6 * m) + np.float32(0.85) * 0.6 * m
        return img
    if name == "snow":
        sky = _vgrad(H, W, [(0.0, (0.70, 0.76, 0.86)), (1.0, (0.86, 0.89, 0.94))])
        ground = np.full((H, W, 3), (0.97, 0.98, 1.0), np.float32)
        img = _horizon(H, W, 0.62, sky, ground, 0.03)
        _dots(img, rng, int(W * H / 900), (1.0, 1.0, 1.0), 0.5, 1.1, ymax=0.62)
        return img
    raise ValueError(name)


# --------------------------------------------------------------------------
# Rendering

def _dilate(a, r):
    """Grey-level dilation of a coverage map by a disc of radius r pixels."""
    out = a.copy()
    ri = int(math.ceil(r))
    H, W = a.shape
    p = np.pad(a, ri)
    for dy in range(-ri, ri + 1):
        for dx in range(-ri, ri + 1):
            if dx * dx + dy * dy <= r * r:
                np.maximum(out, p[ri + dy:ri + dy + H, ri + dx:ri + dx + W], out=out)
    return out


def _blur(a, radius):
    img = Image.fromarray((np.clip(a, 0, 1) * 255).astype(np.uint8))
    return np.asarray(img.filter(ImageFilter.GaussianBlur(radius)), np.float32) / 255.0


def _accent(colour, shade):
    c = np.asarray(colour, np.float32)
    if shade < 1:
        return c * shade
    return c + (1 - c) * (shade - 1)


def render(scene, W=128, H=128):
    """Render a scene dict to an (H, W, 3) uint8 array."""
    rng = np.random.default_rng(scene["jitter_seed"])
    st = scene["styles"]
    img = render_background(scene["background"], W, H, rng)
    unit = min(W, H)
    scale = unit / 128.0

    if st["detail"] == 1:
        # small extra elements scattered over the background
        lum = img.mean()
        tone = (1.0, 1.0, 1.0) if lum < 0.55 else (0.2, 0.2, 0.25)
        for _ in range(int(10 * W * H / 128 ** 2)):
            cx, cy = rng.random() * W, rng.random() * H
            r = (1.0 + rng.random() * 1.3) * scale
            m = _draw_mask([("poly", _star(4, 1.0, 0.35, 0))], W, H, cx, cy, 2 * r)[:, :, None]
            img = img * (1 - 0.8 * m) + np.asarray(tone, np.float32) * 0.8 * m

    for obj in scene["objects"]:
        ax, ay = ANCHORS[obj["position"]]
        s = SIZE_FRACTION[obj["size"]] * unit * (0.93 + 0.14 * rng.random())
        cx = ax * W + (rng.random() - 0.5) * 0.06 * unit
        cy = ay * H + (rng.random() - 0.5) * 0.06 * unit
        colour = np.asarray(COLOURS[obj["colour"]], np.float32)
        layers = SHAPES[obj["subject"]]
        base = _draw_mask(layers[0][1], W, H, cx, cy, s)

        if st["shading"] == 1:
            # soft drop shadow towards the lower right
            sh = np.roll(np.roll(base, int(round(0.07 * s)), 0), int(round(0.06 * s)), 1)
            sh = _blur(sh, 0.05 * s)[:, :, None]
            img = img * (1 - 0.45 * sh)
        if st["outline"] == 1:
            ring = _dilate(base, 2.2 * scale)[:, :, None]
            img = img * (1 - ring) + np.float32(0.04) * ring

        # per-pixel object colour: flat, or lit from the upper left
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        if st["shading"] == 1:
            u = ((xx - cx) + (yy - cy)) / (1.4 * s)  # -0.5 .. 0.5 across the box
            light = np.clip(1.25 - 0.9 * (u + 0.5), 0.45, 1.3)[:, :, None]
            paint = lambda c: np.clip(c * light + 0.12 * np.clip(light - 1, 0, None), 0, 1)
        else:
            paint = lambda c: np.broadcast_to(c, (H, W, 3))
        a = base[:, :, None]
        img = img * (1 - a) + paint(colour) * a
        for shade, prims in layers[1:]:
            m = _draw_mask(prims, W, H, cx, cy, s)[:, :, None] * a
            img = img * (1 - m) + paint(_accent(colour, shade)) * m
        if st["detail"] == 1:
            # a dotted pattern on the object itself
            prims = [("ellipse", rng.random() - 0.5, rng.random() - 0.5, 0.06, 0.06, 1)
                     for _ in range(7)]
            m = _draw_mask(prims, W, H, cx, cy, s)[:, :, None] * a
            img = img * (1 - m) + paint(_accent(colour, 0.6 if colour.mean() > 0.5 else 1.45)) * m

    img = apply_global_styles(img, st)
    return (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)


def apply_global_styles(img, st):
    lum = img @ np.float32([0.299, 0.587, 0.114])
    lum = lum[:, :, None]
    if st["saturation"] == -1:
        img = lum + (img - lum) * 0.35
    elif st["saturation"] == 1:
        img = np.clip(lum + (img - lum) * 1.6, 0, 1)
    if st["temperature"] == 1:
        img = img + np.float32([0.10, 0.03, -0.10])
    elif st["temperature"] == -1:
        img = img + np.float32([-0.10, 0.0, 0.10])
    img = np.clip(img, 0, 1)
    if st["brightness"] == 1:
        img = 0.62 * img + 0.38
    elif st["brightness"] == -1:
        img = 0.48 * img
    return img


if __name__ == "__main__":
    import sys, time
    rng = np.random.default_rng(0)
    t = time.time()
    ims = []
    for i in range(48):
        sc = sample_scene(rng)
        ar = ASPECT_RATIOS[i % 7] if i >= 40 else "1:1"
        W, H = BUCKETS[ar]
        im = render(sc, W, H)
        canvas = np.zeros((192, 192, 3), np.uint8)
        canvas[:H, :W] = im
        ims.append(canvas)
    print("per image ms", (time.time() - t) / 48 * 1000, BUCKETS)
    grid = np.concatenate([np.concatenate(ims[r * 8:(r + 1) * 8], 1) for r in range(6)], 0)
    Image.fromarray(grid).save(sys.argv[1] if len(sys.argv) > 1 else "/tmp/grid.png")
