"""Automatic evaluation of mirage-tiny.

  /usr/bin/python3 models/train/evaluate.py            # full + draft, writes eval/results.json
  /usr/bin/python3 models/train/evaluate.py --write-prompts   # only (re)write eval/prompts.json

The prompt set is fixed (seeded) and saved in models/mirage-tiny/eval/prompts.json
so the TypeScript pipeline can rerun it: every prompt names its seed, size and
expected labels.  All prompts use held-out (subject, colour, background)
triples that never appeared in training.

Judging (same definitions in eval/README.md for reimplementation):
  - subject, colour, position, size, background: argmax of the heads of
    eval/judge.onnx (input float32 RGB NCHW in [0,1], any size);
  - style axes: a pixel statistic per axis (STATISTICS below); a pair passes
    when the image prompted with the axis' positive phrase has the larger
    value than the one with the negative phrase (same seed, same prompt
    otherwise).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import render  # noqa: E402
from captions import STYLE_PHRASES, STYLE_STATS, canonical_caption  # noqa: E402

EVAL_DIR = os.path.join(os.path.dirname(HERE), "mirage-tiny", "eval")
N_PROMPTS = 210
N_PAIRS = 15  # per style axis
EVAL_SEED = 777
SETTINGS = {
    "full": {"steps": 25, "spacing": "leading", "guidance": 5.0},
    "draft": {"steps": 4, "spacing": "trailing", "guidance": 1.0},
}

torch.set_num_threads(2)


# --------------------------------------------------------------------------
# Pixel statistics.  Input: float RGB (H, W, 3) in [0, 1].

def _lum(img):
    return img @ np.array([0.299, 0.587, 0.114])


def _box(a, k):
    """k x k mean filter with edge replication."""
    r = k // 2
    p = np.pad(a, r, mode="edge")
    c = np.cumsum(np.cumsum(p, 0), 1)
    c = np.pad(c, ((1, 0), (1, 0)))
    H, W = a.shape
    s = c[k:k + H, k:k + W] - c[0:H, k:k + W] - c[k:k + H, 0:W] + c[0:H, 0:W]
    return s / (k * k)


def mean_saturation(img):
    mx, mn = img.max(2), img.min(2)
    return float(np.mean(np.where(mx > 1e-6, (mx - mn) / np.maximum(mx, 1e-6), 0)))


def warmth(img):
    return float(img[:, :, 0].mean() - img[:, :, 2].mean())


def mean_luminance(img):
    return float(_lum(img).mean())


def thin_dark_fraction(img):
    L = _lum(img)
    return float(np.mean(_box(L, 7) - L > 0.12))


def soft_gradient_fraction(img):
    L = _box(_lum(img), 3)
    p = np.pad(L, 1, mode="edge")
    gx = (p[1:-1, 2:] - p[1:-1, :-2]) / 2
    gy = (p[2:, 1:-1] - p[:-2, 1:-1]) / 2
    g = np.sqrt(gx ** 2 + gy ** 2)
    return float(np.mean((g > 0.006) & (g < 0.04)))


def high_frequency_energy(img):
    L = _lum(img)
    return float(np.mean(np.abs(L - _box(L, 3))))


STATISTICS = {
    "mean_saturation": (mean_saturation, "mean over pixels of HSV saturation (max-min)/max (0 where max=0)"),
    "warmth": (warmth, "mean(R) - mean(B)"),
    "mean_luminance": (mean_luminance, "mean of L = 0.299 R + 0.587 G + 0.114 B"),
    "thin_dark_fraction": (thin_dark_fraction,
                           "fraction of pixels with box7(L) - L > 0.12, box7 = 7x7 mean with edge replication"),
    "soft_gradient_fraction": (soft_gradient_fraction,
                               "L' = box3(L) (edge replication); g = sqrt(gx^2+gy^2) with central differences "
                               "gx = (L'[y][x+1]-L'[y][x-1])/2 (edge replication); fraction of pixels with "
                               "0.006 < g < 0.04"),
    "high_frequency_energy": (high_frequency_energy, "mean |L - box3(L)| (edge replication)"),
}


# --------------------------------------------------------------------------
# The fixed prompt set

def build_prompt_set():
    rng = np.random.default_rng(EVAL_SEED)
    prompts = []
    for i in range(N_PROMPTS):
        scene = render.sample_scene(rng, "heldout", n_objects=1)
        scene["styles"] = {a: 0 for a in render.STYLE_AXES}
        # most at the default square, every 5th at another aspect ratio
        ar = "1:1" if i % 5 else render.ASPECT_RATIOS[1 + (i // 5) % 6]
        W, H = render.BUCKETS[ar]
        o = scene["objects"][0]
        prompts.append({"id": "p%03d" % i, "prompt": canonical_caption(scene), "negative_prompt": "",
                        "aspect_ratio": ar, "width": W, "height": H, "seed": 1000 + i,
                        "expected": {"subject": o["subject"], "colour": o["colour"], "position": o["position"],
                                     "size": o["size"], "background": scene["background"]},
                        "scene": scene})
    pairs = []
    for axis in render.STYLE_AXES:
        for j in range(N_PAIRS):
            scene = render.sample_scene(rng, "heldout", n_objects=1)
            scene["styles"] = {a: 0 for a in render.STYLE_AXES}
            neg = dict(scene, styles=dict(scene["styles"], **{axis: -1}))
            pos = dict(scene, styles=dict(scene["styles"], **{axis: 1}))
            pairs.append({"id": "%s_%02d" % (axis, j), "axis": axis, "statistic": STYLE_STATS[axis],
                          "seed": 5000 + len(pairs), "width": 128, "height": 128,
                          "negative": {"prompt": canonical_caption(neg), "scene": neg},
                          "positive": {"prompt": canonical_caption(pos), "scene": pos}})
    return prompts, pairs


def write_prompt_set():
    prompts, pairs = build_prompt_set()
    os.makedirs(EVAL_DIR, exist_ok=True)

    def strip(d):
        return {k: v for k, v in d.items() if k != "scene"}
    out = {
        "version": 1,
        "description": "mirage-tiny held-out evaluation prompts (unseen subject/colour/background triples)",
        "settings": SETTINGS,
        "noise": "latents = torch.manual_seed(seed); torch.randn(1, 4, height/8, width/8) (CPU, float32), "
                 "DDIM eta 0, classifier-free guidance with the empty negative prompt",
        "prompts": [strip(p) for p in prompts],
        "style_pairs": [dict(strip(p), negative=strip(p["negative"]), positive=strip(p["positive"])) for p in pairs],
    }
    with open(os.path.join(EVAL_DIR, "prompts.json"), "w") as f:
        json.dump(out, f, indent=1)
    from judge import HEADS
    stats = {name: {"definition": desc, "input": "float RGB in [0,1], HxWx3, at generated resolution"}
             for name, (_, desc) in STATISTICS.items()}
    with open(os.path.join(EVAL_DIR, "judge.json"), "w") as f:
        json.dump({"judge": {"file": "judge.onnx", "input": {"name": "image", "type": "float32",
                                                            "shape": ["batch", 3, "height", "width"],
                                                            "range": "[0,1] RGB"},
                             "outputs": {k: {"labels": v} for k, v in HEADS.items()},
                             "rule": "label = labels[argmax(logits)]"},
                   "style_axes": {a: {"negative": STYLE_PHRASES[a][0], "positive": STYLE_PHRASES[a][1],
                                      "statistic": STYLE_STATS[a], "pass": "stat(positive) > stat(negative)"}
                                  for a in render.STYLE_AXES},
                   "statistics": stats}, f, indent=1)
    return prompts, pairs


# --------------------------------------------------------------------------
# Running it

def generate(te, net, ae, stats, tok, items, setting, batch=25):
    """items: list of (prompt, width, height, seed).  Returns uint8 images."""
    from sample import sample, decode
    out = [None] * len(items)
    groups = {}
    for i, (p, W, H, s) in enumerate(items):
        groups.setdefault((W, H), []).append(i)
    uncond = torch.tensor([tok("")], dtype=torch.long)
    for (W, H), idx in groups.items():
        for k in range(0, len(idx), batch):
            chunk = idx[k:k + batch]
            ids = torch.tensor([tok(items[i][0]) for i in chunk], dtype=torch.long)
            noise = torch.cat([torch.randn((1, 4, H // 8, W // 8), generator=torch.Generator().manual_seed(items[i][3]))
                               for i in chunk])
            u = sample(te, net, ids, uncond.expand(len(chunk), -1), noise, setting["steps"],
                       setting["guidance"], spacing=setting["spacing"])
            ims = decode(ae, u, stats)
            for j, i in enumerate(chunk):
                out[i] = ims[j]
    return out


def judge_images(judge, images):
    from judge import HEADS
    preds = []
    with torch.no_grad():
        for im in images:
            x = torch.from_numpy(im).permute(2, 0, 1)[None].float() / 255
            outs = judge(x)
            preds.append({k: HEADS[k][int(o.argmax(1))] for k, o in zip(HEADS, outs)})
    return preds


def score(prompts, preds):
    keys = ["colour", "subject", "position", "size", "background"]
    return {k: float(np.mean([p["expected"][k] == q[k] for p, q in zip(prompts, preds)])) for k in keys}


def style_score(pairs, neg_images, pos_images):
    res = {}
    for axis in render.STYLE_AXES:
        fn = STATISTICS[STYLE_STATS[axis]][0]
        ok = [fn(pos_images[i] / 255.0) > fn(neg_images[i] / 255.0)
              for i, p in enumerate(pairs) if p["axis"] == axis]
        res[axis] = float(np.mean(ok))
    return res


def save_grid(images, path, cols=10):
    from PIL import Image
    cells = []
    for im in images:
        c = np.zeros((176, 176, 3), np.uint8)
        c[:im.shape[0], :im.shape[1]] = im
        cells.append(c)
    while len(cells) % cols:
        cells.append(np.zeros_like(cells[0]))
    rows = [np.concatenate(cells[r:r + cols], 1) for r in range(0, len(cells), cols)]
    Image.fromarray(np.concatenate(rows, 0)).save(path, optimize=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-prompts", action="store_true")
    ap.add_argument("--settings", default="full,draft")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N prompts / pairs per axis")
    ap.add_argument("--no-style", action="store_true")
    ap.add_argument("--style-all", action="store_true", help="style pairs for every setting")
    ap.add_argument("--style-setting", default="full", help="the setting the style pairs run at")
    args = ap.parse_args()
    prompts, pairs = write_prompt_set()
    if args.write_prompts:
        return
    from train import load_ae, latent_stats
    from train_unet import load_ema
    from judge import load_judge
    from tokenizer import build_default
    if args.limit:
        prompts = prompts[:args.limit]
        pairs = [p for p in pairs if int(p["id"].rsplit("_", 1)[1]) < max(1, args.limit // 7)]
    te, net, step = load_ema()
    ae, stats, tok = load_ae(), latent_stats(), build_default()
    judge, judge_acc = load_judge()
    results = {"unet_step": step, "weights": os.environ.get("MIRAGE_WEIGHTS", "ema"), "n_prompts": len(prompts),
               "judge_accuracy_on_renders": judge_acc}

    # sanity: the judge and statistics on the renderer's own images
    renders = [render.render(p["scene"], p["width"], p["height"]) for p in prompts]
    results["renders"] = score(prompts, judge_images(judge, renders))
    rn = [render.render(p["negative"]["scene"]) for p in pairs]
    rp = [render.render(p["positive"]["scene"]) for p in pairs]
    results["renders"]["style"] = style_score(pairs, rn, rp)

    for name in args.settings.split(","):
        st = SETTINGS[name]
        t = time.time()
        ims = generate(te, net, ae, stats, tok, [(p["prompt"], p["width"], p["height"], p["seed"]) for p in prompts], st)
        r = score(prompts, judge_images(judge, ims))
        r["seconds_attributes"] = round(time.time() - t, 1)
        if name == "full":
            save_grid(ims[:40], os.path.join(EVAL_DIR, "samples_full.png"))
        if not args.no_style and (name == args.style_setting or args.style_all):
            t = time.time()
            neg = generate(te, net, ae, stats, tok, [(p["negative"]["prompt"], 128, 128, p["seed"]) for p in pairs], st)
            pos = generate(te, net, ae, stats, tok, [(p["positive"]["prompt"], 128, 128, p["seed"]) for p in pairs], st)
            r["style"] = style_score(pairs, neg, pos)
            r["seconds_style"] = round(time.time() - t, 1)
        r.update(st)
        results[name] = r
        print(name, json.dumps(r), flush=True)
    if not args.limit:
        with open(os.path.join(EVAL_DIR, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
