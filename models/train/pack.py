"""Move trained weights between machines as plain numpy archives.

  python3 pack.py pack DIR     checkpoints in .cache -> DIR/weights.npz (+ meta)
  python3 pack.py unpack DIR   DIR/weights.npz -> .cache checkpoints

A lent GPU host runs a newer torch than Debian's 1.13 here; numpy arrays are
the one format both read without surprises, and dropping the optimizer state
keeps what travels small.  Export then runs here, with the torch the
committed ONNX files were always made with.
"""
import json
import os
import sys

import numpy as np
import torch

from data import CACHE

PARTS = {"ae.pt": ["model"], "unet.pt": ["te", "net", "ema_te", "ema_net"]}
META = {"ae.pt": ["step", "psnr"], "unet.pt": ["step", "total", "vocab_size", "batch"]}


def pack(out):
    arrays, meta = {}, {}
    for fn, keys in PARTS.items():
        ck = torch.load(os.path.join(CACHE, fn), weights_only=False, map_location="cpu")
        for k in keys:
            for name, t in ck[k].items():
                arrays["%s/%s/%s" % (fn, k, name)] = t.detach().float().numpy()
        meta[fn] = {k: (float(ck[k]) if isinstance(ck[k], float) else ck[k]) for k in META[fn] if k in ck}
    os.makedirs(out, exist_ok=True)
    np.savez_compressed(os.path.join(out, "weights.npz"), **arrays)
    with open(os.path.join(CACHE, "latent_stats.json")) as f:
        meta["latent_stats"] = json.load(f)
    with open(os.path.join(out, "weights.json"), "w") as f:
        json.dump(meta, f, indent=1)


def unpack(src):
    with open(os.path.join(src, "weights.json")) as f:
        meta = json.load(f)
    z = np.load(os.path.join(src, "weights.npz"))
    os.makedirs(CACHE, exist_ok=True)
    for fn, keys in PARTS.items():
        ck = dict(meta[fn])
        for k in keys:
            prefix = "%s/%s/" % (fn, k)
            ck[k] = {n[len(prefix):]: torch.from_numpy(z[n].copy()) for n in z.files if n.startswith(prefix)}
        torch.save(ck, os.path.join(CACHE, fn))
    with open(os.path.join(CACHE, "latent_stats.json"), "w") as f:
        json.dump(meta["latent_stats"], f, indent=1)


if __name__ == "__main__":
    {"pack": pack, "unpack": unpack}[sys.argv[1]](sys.argv[2])
