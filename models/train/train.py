"""Train mirage-tiny end to end:  /usr/bin/python3 models/train/train.py

Stages (each resumable; finished stages are skipped on a rerun):
  render    seeded procedural renders for every aspect bucket
  ae        8x autoencoder on random crops
  latents   encode every render once; latent statistics -> scaling factor
  unet      text encoder + UNet, epsilon prediction, CFG dropout, EMA
  judge     small classifier used by the automatic evaluation
  upscaler  2x super-resolution net
  export    ONNX files + configs into models/mirage-tiny*/

`--stages ae,latents` runs a subset; `--unet-steps N` sets the UNet run length
(or `--unet-minutes M` a wall-clock budget).  `--device cuda` trains on a GPU
(see train_gpu.sh); CPU runs are bit-reproducible, GPU runs are not.
Checkpoints and data live in models/train/.cache (git-ignored).
"""
import argparse
import json
import math
import os
import pickle
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import data  # noqa: E402
import render  # noqa: E402
from data import CACHE, SEED  # noqa: E402

# this machine has 2 cores; a lent GPU host has more, and uses them for data
torch.set_num_threads(min(os.cpu_count() or 2, 8))


def load(path):
    # our own checkpoints hold numpy RNG state next to tensors
    return torch.load(path, weights_only=False, map_location="cpu")


def log_to(name):
    path = os.path.join(CACHE, name + ".log")

    def log(msg):
        line = "%s %s" % (time.strftime("%H:%M:%S"), msg)
        print(line, flush=True)
        with open(path, "a") as f:
            f.write(line + "\n")
    return log


def save_ckpt(path, obj):
    torch.save(obj, path + ".tmp")
    os.replace(path + ".tmp", path)


def cosine_lr(step, total, peak, warmup):
    if step < warmup:
        return peak * (step + 1) / warmup
    p = (step - warmup) / max(1, total - warmup)
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, p))))


# --------------------------------------------------------------------------
def stage_render(args):
    log = log_to("render")
    t = time.time()
    data.ensure_training_renders(log, args.data_scale)
    log("render stage done in %.0fs" % (time.time() - t))


# --------------------------------------------------------------------------
AE_CROP = 64


def stage_ae(args):
    import vae
    log = log_to("ae")
    ckpt = os.path.join(CACHE, "ae.pt")
    AE_STEPS, AE_BATCH, dev = args.ae_steps, args.ae_batch, args.device
    torch.manual_seed(SEED)
    model = vae.AutoEncoder().to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    rng = np.random.default_rng(SEED + 1)
    step = 0
    if os.path.exists(ckpt):
        ck = load(ckpt)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step = ck["step"]
        rng.bit_generator.state = ck["np_rng"]
        torch.set_rng_state(ck["torch_rng"])
        if step >= AE_STEPS:
            return
    buckets = {ar: data.load_bucket(ar)[1] for ar in render.ASPECT_RATIOS}
    ars = list(buckets)
    weights = np.array([len(buckets[a]) for a in ars], np.float64)
    weights /= weights.sum()
    held = vae.to_tensor(np.asarray(buckets["1:1"][-64:])).to(dev)  # last 64 squares for PSNR
    t0 = time.time()
    while step < AE_STEPS:
        crops = []
        for _ in range(AE_BATCH):
            ims = buckets[ars[rng.choice(len(ars), p=weights)]]
            # the last 64 squares are kept out of training for the PSNR check
            n = len(ims) - (64 if ims is buckets["1:1"] else 0)
            im = ims[rng.integers(n)]
            y = rng.integers(0, im.shape[0] - AE_CROP + 1) // 8 * 8
            x = rng.integers(0, im.shape[1] - AE_CROP + 1) // 8 * 8
            crops.append(im[y:y + AE_CROP, x:x + AE_CROP])
        x = vae.to_tensor(np.stack(crops)).to(dev)
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, AE_STEPS, 2e-3, 100)
        z = model.encoder(x)
        # a little latent noise keeps the decoder tolerant of the imperfect
        # latents the diffusion model will hand it
        z = z + 0.05 * z.detach().std() * torch.randn_like(z)
        rec = model.decoder(z)
        loss = (rec - x).abs().mean() + 0.5 * (rec - x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 200 == 0 or step == AE_STEPS:
            with torch.no_grad():
                p = vae.psnr(model(held), held)
            log("ae step %d loss %.4f held-out PSNR %.2f dB (%.2fs/step)"
                % (step, loss.item(), p, (time.time() - t0) / 200))
            t0 = time.time()
            save_ckpt(ckpt, {"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                             "np_rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(),
                             "psnr": p})


def load_ae():
    import vae
    model = vae.AutoEncoder()
    model.load_state_dict(load(os.path.join(CACHE, "ae.pt"))["model"])
    return model.eval()


# --------------------------------------------------------------------------
def stage_latents(args):
    """Encode every render once.  The UNet trains on normalized latents
    u = (z - mean_c) * scaling_factor, where mean_c is a per-channel mean and
    scaling_factor = 1 / std of the centred latents.  The exported encoder
    outputs z - mean_c and the decoder adds mean_c back, so the standard
    pipeline convention (latents = encoder(x) * scaling_factor, decoder(latents
    / scaling_factor)) works unchanged."""
    log = log_to("latents")
    stats_path = os.path.join(CACHE, "latent_stats.json")
    if os.path.exists(stats_path):
        return
    model = load_ae().to(args.device)
    import vae
    t = time.time()
    allz = {}
    with torch.no_grad():
        for ar in render.ASPECT_RATIOS:
            _, ims = data.load_bucket(ar)
            zs = [model.encoder(vae.to_tensor(np.asarray(ims[i:i + 128])).to(args.device)).cpu()
                  for i in range(0, len(ims), 128)]
            allz[ar] = torch.cat(zs)
            log("encoded %s %s (%.0fs)" % (ar, tuple(allz[ar].shape), time.time() - t))
    flat = torch.cat([z.permute(1, 0, 2, 3).reshape(4, -1) for z in allz.values()], 1)
    mean = flat.mean(1)
    std = (flat - mean[:, None]).std().item()
    for ar, z in allz.items():
        np.save(data.bucket_path(ar, "latents.npy"), z.numpy())
    stats = {"channel_mean": mean.tolist(), "std": std, "scaling_factor": 1.0 / std}
    with open(stats_path, "w") as f:
        json.dump(stats, f, indent=1)
    log("latent stats %s" % stats)


def latent_stats():
    with open(os.path.join(CACHE, "latent_stats.json")) as f:
        return json.load(f)


# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stages", default="render,ae,latents,unet,judge,upscaler,export")
    ap.add_argument("--unet-steps", type=int, default=None)
    ap.add_argument("--unet-minutes", type=float, default=None,
                    help="wall-clock budget for the UNet stage; sets the step count after a timed warm-up")
    ap.add_argument("--unet-batch", type=int, default=32)
    ap.add_argument("--unet-lr", type=float, default=1e-3)
    ap.add_argument("--ae-steps", type=int, default=1600)
    ap.add_argument("--ae-batch", type=int, default=32)
    ap.add_argument("--data-scale", type=float, default=1.0, help="fraction of the renders (smoke runs)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    args = ap.parse_args()
    os.makedirs(CACHE, exist_ok=True)
    if args.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    stages = {"render": stage_render, "ae": stage_ae, "latents": stage_latents}
    for extra in ("unet", "judge", "upscaler", "export"):
        mod = {"unet": "train_unet", "judge": "judge", "upscaler": "upscaler", "export": "export"}[extra]
        stages[extra] = (lambda m: lambda a: __import__(m).run(a))(mod)
    for s in args.stages.split(","):
        t = time.time()
        stages[s](args)
        log_to("stages")("stage %s finished in %.0fs" % (s, time.time() - t))


if __name__ == "__main__":
    main()
