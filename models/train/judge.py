"""The evaluation judge: a small CNN that reads a rendered (or generated)
single-object image and names its subject, colour, position, size and
background.  Stage `judge` of train.py.

Input: float32 RGB NCHW in [0, 1], any size; the network resizes it to 64x64
whatever the aspect (position words are relative, so squashing keeps them
meaningful; 64 px is plenty to tell the subjects apart and keeps it cheap).  Two
coordinate channels are appended inside the network so position is easy to
read off.  It is trained on clean renders with blur, noise and brightness
augmentation so it still reads the softer images the diffusion model makes.
"""
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

import render
from data import CACHE, SEED

HEADS = {
    "subject": render.SUBJECTS,
    "colour": list(render.COLOURS),
    "position": render.POSITIONS,
    "size": render.SIZES,
    "background": render.BACKGROUNDS,
}
N_TRAIN = 12000
N_TEST = 1000
STEPS = 900
BATCH = 48


class Judge(nn.Module):
    def __init__(self):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.BatchNorm2d(cout), nn.SiLU(),
                                 nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.SiLU())
        self.body = nn.Sequential(block(5, 32), block(32, 64), block(64, 96), block(96, 128))  # -> 4x4
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(128 * 16, 192), nn.SiLU(), nn.Dropout(0.1))
        self.heads = nn.ModuleDict({k: nn.Linear(192, len(v)) for k, v in HEADS.items()})

    def forward(self, image):
        x = F.interpolate(image, size=(64, 64), mode="bilinear", align_corners=False)
        B = x.shape[0]
        lin = torch.linspace(-1, 1, 64)
        yy = lin[:, None].expand(64, 64)[None, None].expand(B, 1, 64, 64)
        xx = lin[None, :].expand(64, 64)[None, None].expand(B, 1, 64, 64)
        h = self.body(torch.cat([x * 2 - 1, xx, yy], 1))
        h = self.fc(h)
        return tuple(self.heads[k](h) for k in HEADS)


def _render_single(args):
    split, i = args
    rng = np.random.default_rng([SEED, 7 if split == "train" else 8, i])
    scene = render.sample_scene(rng, "any", n_objects=1)
    W, H = render.BUCKETS[render.ASPECT_RATIOS[i % 7] if i % 3 == 0 else "1:1"]
    im = Image.fromarray(render.render(scene, W, H)).resize((128, 128), Image.BILINEAR)
    o = scene["objects"][0]
    labels = [HEADS[k].index(o[k] if k in o else scene[k]) for k in HEADS]
    return np.asarray(im), labels


def make_set(split, n):
    from multiprocessing import Pool
    with Pool(2) as pool:
        out = pool.map(_render_single, [(split, i) for i in range(n)], chunksize=64)
    return np.stack([a for a, _ in out]), np.array([l for _, l in out])


def augment(x, gen):
    """Blur, noise, contrast jitter: the looks of a diffusion sample."""
    B = x.shape[0]
    sig = torch.rand(B, generator=gen) * 1.6
    k = torch.arange(-3, 4, dtype=torch.float32)
    out = []
    for i in range(B):
        if sig[i] < 0.2:
            out.append(x[i:i + 1])
            continue
        w = torch.exp(-k ** 2 / (2 * sig[i] ** 2))
        w = w / w.sum()
        xi = F.conv2d(F.pad(x[i:i + 1], (3, 3, 0, 0), mode="replicate"), w.view(1, 1, 1, 7).repeat(3, 1, 1, 1), groups=3)
        xi = F.conv2d(F.pad(xi, (0, 0, 3, 3), mode="replicate"), w.view(1, 1, 7, 1).repeat(3, 1, 1, 1), groups=3)
        out.append(xi)
    x = torch.cat(out)
    x = x + torch.randn(x.shape, generator=gen) * torch.rand(B, 1, 1, 1, generator=gen) * 0.04
    x = (x - 0.5) * (0.9 + 0.2 * torch.rand(B, 1, 1, 1, generator=gen)) + 0.5
    return x.clamp(0, 1)


def to_input(u8):
    return torch.from_numpy(np.ascontiguousarray(u8)).permute(0, 3, 1, 2).float() / 255.0


def run(args=None):
    from train import log_to, cosine_lr
    log = log_to("judge")
    path = os.path.join(CACHE, "judge.pt")
    if os.path.exists(path):
        return
    t = time.time()
    xtr, ytr = make_set("train", N_TRAIN)
    xte, yte = make_set("test", N_TEST)
    log("judge data rendered in %.0fs" % (time.time() - t))
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    model = Judge()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    rng = np.random.default_rng(SEED + 3)
    for step in range(STEPS):
        idx = rng.integers(N_TRAIN, size=BATCH)
        x = augment(to_input(xtr[idx]), gen)
        y = torch.from_numpy(ytr[idx])
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, STEPS, 2e-3, 50)
        outs = model(x)
        loss = sum(F.cross_entropy(o, y[:, j]) for j, o in enumerate(outs))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (step + 1) % 200 == 0:
            log("judge step %d loss %.3f" % (step + 1, loss.item()))
    model.eval()
    accs = {}
    with torch.no_grad():
        for name, aug in (("clean", False), ("augmented", True)):
            x = to_input(xte)
            if aug:
                x = augment(x, gen)
            outs = model(x)
            accs[name] = {k: float((o.argmax(1).numpy() == yte[:, j]).mean()) for j, (k, o) in enumerate(zip(HEADS, outs))}
    log("judge held-out accuracy %s" % accs)
    torch.save({"model": model.state_dict(), "accuracy": accs}, path)


def load_judge():
    model = Judge()
    ck = torch.load(os.path.join(CACHE, "judge.pt"))
    model.load_state_dict(ck["model"])
    return model.eval(), ck["accuracy"]
