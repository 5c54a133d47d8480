#!/bin/sh
# Train mirage-tiny's autoencoder, text encoder and UNet on one CUDA GPU inside
# a fixed wall-clock budget, then pack the weights as numpy archives:
#
#   BUDGET_S=480 OUT_DIR=/tmp/out sh models/train/train_gpu.sh
#
# Back on the development machine (the archive travels in 15 MB parts):
#   cat /tmp/out/weights.npz.part-* > /tmp/out/weights.npz
#   /usr/bin/python3 models/train/pack.py unpack /tmp/out
#   /usr/bin/python3 models/train/train.py --stages export
#
# Renders are made on the GPU host's cores (16 there), so nothing large travels.
set -eu
cd "$(dirname "$0")"
budget=${BUDGET_S:-480}
out=${OUT_DIR:?set OUT_DIR}
start=$(date +%s)
export PYTHONUNBUFFERED=1
py=${PYTHON:-python3}
dev=${DEVICE:-cuda}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true

# one forward/backward of every network on the device before the long stages,
# so a broken environment fails in seconds rather than minutes in
$py - <<PY
import numpy as np, torch, data, render, vae
from tokenizer import build_default
from train_unet import build_models
print("torch", torch.__version__, "numpy", np.__version__)
scene, im = data._render_one(("train", 0, 0, 128, 128))
x = vae.to_tensor(im[None]).to("$dev")
ae = vae.AutoEncoder().to("$dev")
ae(x).mean().backward()
tok = build_default()
te, net = build_models(len(tok))
te, net = te.to("$dev"), net.to("$dev")
ids = torch.tensor([tok("a red house")] * 2, device="$dev")
import contextlib
with torch.autocast("cuda", dtype=torch.bfloat16) if "$dev" == "cuda" else contextlib.nullcontext():
    out = net(torch.randn(2, 4, 16, 16, device="$dev"), torch.tensor([1.0, 500.0], device="$dev"), te(ids))
out.float().mean().backward()
print("preflight ok")
PY

$py train.py --device $dev --stages render,ae,latents --data-scale ${DATA_SCALE:-1} --ae-steps ${AE_STEPS:-6000} --ae-batch 64

# what is left of the budget goes to the UNet; 25 s stay for packing
left=$(( budget - ($(date +%s) - start) - 25 ))
minutes=$(awk "BEGIN { print $left / 60 }")
$py train.py --device $dev --stages unet --unet-batch ${UNET_BATCH:-256} --unet-lr ${UNET_LR:-1.5e-3} \
  --unet-minutes "$minutes"

tmp=$(mktemp -d)
$py pack.py pack "$tmp"
split -b 15m "$tmp/weights.npz" "$out/weights.npz.part-"
cp "$tmp/weights.json" "$out/"
tar -C .cache -czf "$out/logs.tgz" $(cd .cache && ls *.log)
echo "train_gpu.sh finished in $(( $(date +%s) - start )) s"
