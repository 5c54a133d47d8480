"""UNet + text encoder training (stage `unet` of train.py).

Epsilon prediction on the scaled_linear schedule (0.00085 -> 0.012, 1000
steps) that the exported scheduler config declares; min-SNR-5 loss weighting;
10 % empty captions for classifier-free guidance; EMA weights are what gets
exported.  Each step draws one aspect bucket (in proportion to its data) so a
batch has a single shape.
"""
import math
import os
import time

import numpy as np
import torch

import data
import render
from captions import random_caption
from data import CACHE, SEED
from text_encoder import TextEncoder
from tokenizer import build_default
from unet import UNet

BATCH = 32
DEFAULT_STEPS = 6000
LR = 1e-3
CFG_DROP = 0.10
EMA = 0.999


def alphas_cumprod(T=1000, b0=0.00085, b1=0.012):
    betas = torch.linspace(b0 ** 0.5, b1 ** 0.5, T, dtype=torch.float64) ** 2
    return torch.cumprod(1 - betas, 0).float()


def build_models(vocab_size):
    torch.manual_seed(SEED)
    te = TextEncoder(vocab_size)
    net = UNet(ctx_dim=te.dim)
    return te, net


class Batches:
    """Latents + freshly worded, tokenized captions for one bucket per step."""

    def __init__(self, tok, stats):
        self.tok = tok
        mean = torch.tensor(stats["channel_mean"])[None, :, None, None]
        self.buckets = {}
        for ar in render.ASPECT_RATIOS:
            scenes, _ = data.load_bucket(ar)
            z = torch.from_numpy(np.load(data.bucket_path(ar, "latents.npy")))
            self.buckets[ar] = (scenes, (z - mean) * stats["scaling_factor"])
        self.ars = list(self.buckets)
        w = np.array([len(self.buckets[a][0]) for a in self.ars], np.float64)
        self.p = w / w.sum()

    def sample(self, rng):
        ar = self.ars[rng.choice(len(self.ars), p=self.p)]
        scenes, lat = self.buckets[ar]
        idx = rng.integers(len(scenes), size=BATCH)
        caps = ["" if rng.random() < CFG_DROP else random_caption(scenes[i], rng) for i in idx]
        ids = torch.tensor([self.tok(c) for c in caps], dtype=torch.long)
        return lat[torch.from_numpy(idx)], ids


def run(args):
    from train import log_to, save_ckpt, cosine_lr, latent_stats
    log = log_to("unet")
    total = args.unet_steps or DEFAULT_STEPS
    tok = build_default()
    te, net = build_models(len(tok))
    ema_te, ema_net = build_models(len(tok))
    params = list(te.parameters()) + list(net.parameters())
    decay, no_decay = [p for p in params if p.ndim >= 2], [p for p in params if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                             {"params": no_decay, "weight_decay": 0.0}], lr=LR)
    rng = np.random.default_rng(SEED + 2)
    ckpt = os.path.join(CACHE, "unet.pt")
    step = 0
    if os.path.exists(ckpt):
        ck = torch.load(ckpt)
        te.load_state_dict(ck["te"])
        net.load_state_dict(ck["net"])
        ema_te.load_state_dict(ck["ema_te"])
        ema_net.load_state_dict(ck["ema_net"])
        opt.load_state_dict(ck["opt"])
        step = ck["step"]
        rng.bit_generator.state = ck["np_rng"]
        torch.set_rng_state(ck["torch_rng"])
        log("resumed at step %d" % step)
    else:
        ema_te.load_state_dict(te.state_dict())
        ema_net.load_state_dict(net.state_dict())
    log("unet %d params, text encoder %d params, %d steps planned"
        % (sum(p.numel() for p in net.parameters()), sum(p.numel() for p in te.parameters()), total))
    batches = Batches(tok, latent_stats())
    ac = alphas_cumprod()
    ema_params = list(ema_te.parameters()) + list(ema_net.parameters())
    t0, losses = time.time(), []
    while step < total:
        x0, ids = batches.sample(rng)
        t = torch.randint(0, 1000, (BATCH,))
        noise = torch.randn_like(x0)
        a = ac[t][:, None, None, None]
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, total, LR, 300)
        pred = net(xt, t.float(), te(ids))
        snr = ac[t] / (1 - ac[t])
        w = torch.clamp(snr, max=5.0) / snr  # min-SNR-5 for epsilon prediction
        loss = (w * (pred - noise).pow(2).mean(dim=(1, 2, 3))).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        d = min(EMA, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, p in zip(ema_params, params):
                pe.mul_(d).add_(p.detach(), alpha=1 - d)
        losses.append(loss.item())
        if step % 50 == 0:
            log("step %d loss %.4f lr %.2e %.2fs/step" % (step, np.mean(losses), opt.param_groups[0]["lr"],
                                                         (time.time() - t0) / 50))
            t0, losses = time.time(), []
        stop = step % 50 == 0 and os.path.exists(os.path.join(CACHE, "STOP"))
        if step % 250 == 0 or step == total or stop:
            save_ckpt(ckpt, {"te": te.state_dict(), "net": net.state_dict(), "ema_te": ema_te.state_dict(),
                             "ema_net": ema_net.state_dict(), "opt": opt.state_dict(), "step": step,
                             "total": total, "np_rng": rng.bit_generator.state,
                             "torch_rng": torch.get_rng_state(), "vocab_size": len(tok)})
            if stop:
                log("STOP file found, stopping at step %d" % step)
                break


def load_ema(weights=None):
    """Text encoder and UNet from the latest checkpoint, in eval mode: the EMA
    weights by default, the raw ones with weights='raw' (or env
    MIRAGE_WEIGHTS=raw), which can be better when a run is cut short."""
    weights = weights or os.environ.get("MIRAGE_WEIGHTS", "ema")
    ck = torch.load(os.path.join(CACHE, "unet.pt"))
    te, net = build_models(ck["vocab_size"])
    prefix = "ema_" if weights == "ema" else ""
    te.load_state_dict(ck[prefix + "te"])
    net.load_state_dict(ck[prefix + "net"])
    return te.eval(), net.eval(), ck["step"]
