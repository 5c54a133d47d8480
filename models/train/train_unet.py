"""UNet + text encoder training (stage `unet` of train.py).

Epsilon prediction on the scaled_linear schedule (0.00085 -> 0.012, 1000
steps) that the exported scheduler config declares; min-SNR-5 loss weighting;
10 % empty captions for classifier-free guidance; EMA weights are what gets
exported.  Each step draws one aspect bucket (in proportion to its data) so a
batch has a single shape.  On a GPU the step runs under bf16 autocast and the
captions are worded in DataLoader workers.
"""
import contextlib
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


class CaptionStream(torch.utils.data.IterableDataset):
    """Endless (bucket, scene indices, token ids) batches.  Captions are
    re-worded on every draw, which is the expensive part of a step on a GPU,
    so this runs in DataLoader workers there; each worker has its own seeded
    stream (CPU runs use one stream and stay reproducible)."""

    def __init__(self, tok, sizes, batch, seed):
        self.tok, self.batch, self.seed = tok, batch, seed
        self.ars = list(sizes)
        w = np.array([sizes[a] for a in self.ars], np.float64)
        self.p = w / w.sum()
        self.scenes = {ar: data.load_bucket(ar)[0] for ar in self.ars}

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = np.random.default_rng([*self.seed, info.id if info else 0])
        while True:
            b = rng.choice(len(self.ars), p=self.p)
            scenes = self.scenes[self.ars[b]]
            idx = rng.integers(len(scenes), size=self.batch)
            caps = ["" if rng.random() < CFG_DROP else random_caption(scenes[i], rng) for i in idx]
            yield int(b), torch.from_numpy(idx), torch.tensor([self.tok(c) for c in caps], dtype=torch.long)


def load_latents(stats, device):
    """Normalized latents per bucket, u = (z - mean_c) * scaling_factor."""
    mean = torch.tensor(stats["channel_mean"])[None, :, None, None]
    out = {}
    for ar in render.ASPECT_RATIOS:
        z = torch.from_numpy(np.load(data.bucket_path(ar, "latents.npy")))
        out[ar] = ((z - mean) * stats["scaling_factor"]).to(device)
    return out


def run(args):
    from train import log_to, save_ckpt, cosine_lr, latent_stats, load
    log = log_to("unet")
    dev, batch, peak_lr = args.device, args.unet_batch, args.unet_lr
    total = args.unet_steps or DEFAULT_STEPS
    tok = build_default()
    te, net = build_models(len(tok))
    ema_te, ema_net = build_models(len(tok))
    params = list(te.parameters()) + list(net.parameters())
    decay, no_decay = [p for p in params if p.ndim >= 2], [p for p in params if p.ndim < 2]
    ckpt = os.path.join(CACHE, "unet.pt")
    step, ck = 0, None
    if os.path.exists(ckpt):
        ck = load(ckpt)
        te.load_state_dict(ck["te"])
        net.load_state_dict(ck["net"])
        ema_te.load_state_dict(ck["ema_te"])
        ema_net.load_state_dict(ck["ema_net"])
        step = ck["step"]
        torch.set_rng_state(ck["torch_rng"])
        log("resumed at step %d" % step)
    else:
        ema_te.load_state_dict(te.state_dict())
        ema_net.load_state_dict(net.state_dict())
    for m in (te, net, ema_te, ema_net):
        m.to(dev)
    # the optimizer is built after the move so its state lives on the device
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                             {"params": no_decay, "weight_decay": 0.0}], lr=peak_lr)
    if ck is not None:
        opt.load_state_dict(ck["opt"])
    log("unet %d params, text encoder %d params, batch %d, lr %.1e, %s, %d steps planned"
        % (sum(p.numel() for p in net.parameters()), sum(p.numel() for p in te.parameters()),
           batch, peak_lr, dev, total))
    latents = load_latents(latent_stats(), dev)
    ars = list(latents)
    cuda = dev.startswith("cuda")
    autocast = (lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if cuda else contextlib.nullcontext
    # the stream's seed includes the start step so a resumed run draws new batches
    stream = CaptionStream(tok, {ar: len(latents[ar]) for ar in ars}, batch, [SEED + 2, step])
    workers = min(8, (os.cpu_count() or 2) - 2) if cuda else 0
    extra = {"prefetch_factor": 8} if workers else {}
    loader = iter(torch.utils.data.DataLoader(stream, batch_size=None, num_workers=workers,
                                              pin_memory=cuda, **extra))
    gen = torch.Generator(device=dev)
    gen.manual_seed(SEED + 3 + step)
    ac = alphas_cumprod().to(dev)
    ema_params = list(ema_te.parameters()) + list(ema_net.parameters())
    deadline = time.time() + args.unet_minutes * 60 if args.unet_minutes else None
    first, t0, losses = step, time.time(), []
    while step < total:
        b, idx, ids = next(loader)
        x0 = latents[ars[b]][idx.to(dev, non_blocking=True)]
        ids = ids.to(dev, non_blocking=True)
        t = torch.randint(0, 1000, (batch,), device=dev, generator=gen)
        noise = torch.randn(x0.shape, device=dev, generator=gen)
        a = ac[t][:, None, None, None]
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, total, peak_lr, 300)
        with autocast():
            pred = net(xt, t.float(), te(ids))
        snr = ac[t] / (1 - ac[t])
        w = torch.clamp(snr, max=5.0) / snr  # min-SNR-5 for epsilon prediction
        loss = (w * (pred.float() - noise).pow(2).mean(dim=(1, 2, 3))).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        d = min(EMA, (1 + step) / (10 + step))
        with torch.no_grad():
            torch._foreach_mul_(ema_params, d)
            torch._foreach_add_(ema_params, params, alpha=1 - d)
        losses.append(loss.detach())
        if deadline and step == first + 150:
            # time-budgeted run: fix the schedule's length from the measured pace
            pace = (time.time() - t_warm) / 100
            total = step + max(1, int((deadline - time.time()) / pace))
            log("pace %.1f ms/step -> %d steps in the budget" % (pace * 1000, total))
        if step == first + 50:
            t_warm = time.time()
        if step % 50 == 0:
            log("step %d loss %.4f lr %.2e %.3fs/step" % (step, torch.stack(losses).mean().item(),
                                                         opt.param_groups[0]["lr"], (time.time() - t0) / 50))
            t0, losses = time.time(), []
        stop = step % 50 == 0 and (os.path.exists(os.path.join(CACHE, "STOP"))
                                   or (deadline is not None and time.time() > deadline))
        if step % 1000 == 0 or step == total or stop:
            cpu = lambda m: {k: v.detach().cpu() for k, v in m.state_dict().items()}  # noqa: E731
            save_ckpt(ckpt, {"te": cpu(te), "net": cpu(net), "ema_te": cpu(ema_te),
                             "ema_net": cpu(ema_net), "opt": opt.state_dict(), "step": step,
                             "total": total, "torch_rng": torch.get_rng_state(), "vocab_size": len(tok),
                             "batch": batch})
            if stop:
                log("stopping at step %d (STOP file or time budget)" % step)
                break


def load_ema(weights=None):
    """Text encoder and UNet from the latest checkpoint, in eval mode: the EMA
    weights by default, the raw ones with weights='raw' (or env
    MIRAGE_WEIGHTS=raw), which can be better when a run is cut short."""
    weights = weights or os.environ.get("MIRAGE_WEIGHTS", "ema")
    from train import load
    ck = load(os.path.join(CACHE, "unet.pt"))
    te, net = build_models(ck["vocab_size"])
    prefix = "ema_" if weights == "ema" else ""
    te.load_state_dict(ck[prefix + "te"])
    net.load_state_dict(ck[prefix + "net"])
    return te.eval(), net.eval(), ck["step"]
