"""2x super-resolution for Upscale (Subtle).  Stage `upscaler` of train.py.

Float RGB NCHW in [0, 1] -> 2x the size.  The net predicts a residual over
bilinear upsampling (a cheap, well-conditioned start) from a few residual
blocks at the low resolution, then a depth-to-space step; it is fully
convolutional, so any input size works.  Training pairs are the same world
rendered at 256x256 (high-res) and box-downsampled to 128x128 (low-res).
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

N_TRAIN = 1500
N_TEST = 64
STEPS = 500
BATCH = 16
CROP = 48  # low-res crop side


class Upscaler(nn.Module):
    def __init__(self, c=32, blocks=3):
        super().__init__()
        self.inp = nn.Conv2d(3, c, 3, padding=1)
        self.blocks = nn.ModuleList([nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.ReLU(),
                                                   nn.Conv2d(c, c, 3, padding=1)) for _ in range(blocks)])
        self.out = nn.Conv2d(c, 3 * 4, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, image):
        base = F.interpolate(image, scale_factor=2.0, mode="bilinear", align_corners=False)
        h = F.relu(self.inp(image))
        for b in self.blocks:
            h = h + b(h)
        return (base + F.pixel_shuffle(self.out(h), 2)).clamp(0, 1)


def _pair(args):
    split, i = args
    rng = np.random.default_rng([SEED, 2 if split == "train" else 3, i])
    scene = render.sample_scene(rng, "any")
    hr = render.render(scene, 256, 256)
    lr = np.asarray(Image.fromarray(hr).resize((128, 128), Image.BOX))
    return lr, hr


def make_set(split, n):
    from multiprocessing import Pool
    with Pool(2) as pool:
        out = pool.map(_pair, [(split, i) for i in range(n)], chunksize=16)
    return np.stack([a for a, _ in out]), np.stack([b for _, b in out])


def to_t(u8):
    return torch.from_numpy(np.ascontiguousarray(u8)).permute(0, 3, 1, 2).float() / 255.0


def psnr01(a, b):
    return float(10 * np.log10(1.0 / np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)))


def evaluate(model, lr, hr):
    """Mean PSNR (dB, [0, 1] scale) of the net and of PIL Lanczos on a set."""
    with torch.no_grad():
        sr = model(to_t(lr)).permute(0, 2, 3, 1).numpy()
    ps_net, ps_lz = [], []
    for i in range(len(lr)):
        lz = np.asarray(Image.fromarray(lr[i]).resize((256, 256), Image.LANCZOS), np.float64) / 255
        ref = hr[i] / 255.0
        ps_net.append(psnr01(np.round(sr[i] * 255) / 255, ref))
        ps_lz.append(psnr01(lz, ref))
    return float(np.mean(ps_net)), float(np.mean(ps_lz))


def run(args=None):
    from train import log_to, cosine_lr
    log = log_to("upscaler")
    path = os.path.join(CACHE, "upscaler.pt")
    if os.path.exists(path):
        return
    t = time.time()
    lr, hr = make_set("train", N_TRAIN)
    lte, hte = make_set("test", N_TEST)
    log("upscaler data rendered in %.0fs" % (time.time() - t))
    torch.manual_seed(SEED)
    model = Upscaler()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    rng = np.random.default_rng(SEED + 4)
    for step in range(STEPS):
        xs, ys = [], []
        for _ in range(BATCH):
            i = rng.integers(N_TRAIN)
            y0, x0 = rng.integers(0, 128 - CROP + 1, size=2)
            xs.append(lr[i, y0:y0 + CROP, x0:x0 + CROP])
            ys.append(hr[i, 2 * y0:2 * (y0 + CROP), 2 * x0:2 * (x0 + CROP)])
        x, y = to_t(np.stack(xs)), to_t(np.stack(ys))
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, STEPS, 2e-3, 30)
        loss = (model(x) - y).abs().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (step + 1) % 100 == 0:
            log("upscaler step %d L1 %.4f" % (step + 1, loss.item()))
    model.eval()
    net, lanczos = evaluate(model, lte, hte)
    log("held-out PSNR: net %.2f dB, Lanczos %.2f dB (%d renders, 128->256)" % (net, lanczos, N_TEST))
    torch.save({"model": model.state_dict(), "psnr_net": net, "psnr_lanczos": lanczos, "n_test": N_TEST}, path)


def load_upscaler():
    ck = torch.load(os.path.join(CACHE, "upscaler.pt"))
    m = Upscaler()
    m.load_state_dict(ck["model"])
    return m.eval(), ck
