"""Pre-rendered, seeded data sets, cached under models/train/.cache/.

Each aspect-ratio bucket gets its own uint8 image array and list of scene
dicts.  Image i of bucket b is rendered from numpy seed (SEED, b, i), so any
slice can be regenerated exactly and the renders are identical whether they
were made by one process or several.
"""
import os
import pickle
from multiprocessing import Pool

import numpy as np

import render

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache")
SEED = 1234

# images per bucket: square is the default output, so it gets the most
BUCKET_COUNTS = {"1:1": 24000, "4:3": 4000, "3:4": 4000, "3:2": 4000,
                 "2:3": 4000, "16:9": 4000, "9:16": 4000}


def _render_one(args):
    split, b, i, W, H = args
    rng = np.random.default_rng([SEED, {"train": 0, "judge": 1, "sr": 2}[split], b, i])
    scene = render.sample_scene(rng, "train")
    return scene, render.render(scene, W, H)


def render_set(split, ar, count, W=None, H=None, workers=None):
    if W is None:
        W, H = render.BUCKETS[ar]
    b = render.ASPECT_RATIOS.index(ar)
    with Pool(workers or os.cpu_count()) as pool:
        out = pool.map(_render_one, [(split, b, i, W, H) for i in range(count)], chunksize=64)
    scenes = [s for s, _ in out]
    images = np.stack([im for _, im in out])
    return scenes, images


def bucket_path(ar, kind):
    return os.path.join(CACHE, "data", "%s_%s" % (ar.replace(":", "x"), kind))


def ensure_training_renders(log=print, scale=1.0):
    """`scale` < 1 renders a fraction of each bucket (smoke runs only)."""
    os.makedirs(os.path.join(CACHE, "data"), exist_ok=True)
    for ar, n in BUCKET_COUNTS.items():
        n = max(64, int(n * scale))
        p = bucket_path(ar, "images.npy")
        if os.path.exists(p):
            continue
        scenes, images = render_set("train", ar, n)
        with open(bucket_path(ar, "scenes.pkl"), "wb") as f:
            pickle.dump(scenes, f)
        np.save(p + ".tmp.npy", images)
        os.replace(p + ".tmp.npy", p)
        log("rendered %d images for %s %s" % (n, ar, images.shape))


def load_bucket(ar):
    images = np.load(bucket_path(ar, "images.npy"), mmap_mode="r")
    with open(bucket_path(ar, "scenes.pkl"), "rb") as f:
        scenes = pickle.load(f)
    return scenes, images
