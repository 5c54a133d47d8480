"""Export mirage-tiny in the optimum Stable Diffusion ONNX layout.  Stage
`export` of train.py; also `python3 models/train/export.py` on its own.

models/mirage-tiny/
  model_index.json, mirage.json (Mirage manifest)
  scheduler/scheduler_config.json
  tokenizer/{vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json}
  text_encoder/, unet/, vae_encoder/, vae_decoder/: model.onnx + config.json
models/mirage-tiny-upscaler-x2/model.onnx (+ config.json)
models/mirage-tiny/eval/judge.onnx

All graphs: opset 17, float32, dynamic batch (and spatial sizes where
meaningful).  The VAE graphs fold the latent centring in, so the pipeline's
usual `scaling_factor` convention is all that is needed.
"""
import json
import os
import sys

import onnx
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
MODELS = os.path.dirname(HERE)
OUT = os.path.join(MODELS, "mirage-tiny")
UPSCALER_OUT = os.path.join(MODELS, "mirage-tiny-upscaler-x2")
OPSET = 17

import render  # noqa: E402
from captions import STYLE_PHRASES, STYLE_STATS  # noqa: E402

# Sampler presets shipped in the manifest (chosen from the evaluation).
# Drafts skip classifier-free guidance (one UNet pass per step instead of two):
# measured on the held-out prompts, 4 unguided steps judge as well as 25 guided
# ones on every attribute, at about 1/7 of the cost.  A prompt with `--no`
# needs the unconditional pass, so drafts guide again when a negative prompt is
# given (guidance_with_negative).
PRESETS = {
    "full": {"steps": 25, "scheduler": "ddim", "timestep_spacing": "leading", "guidance": 5.0},
    "draft": {"steps": 4, "scheduler": "ddim", "timestep_spacing": "trailing", "guidance": 1.0,
              "guidance_with_negative": 5.0},
}


class TextEncoderExport(nn.Module):
    def __init__(self, te, eot_id):
        super().__init__()
        self.te = te

    def forward(self, input_ids):
        h = self.te(input_ids)
        # CLIP's pooled output: the hidden state at the first end token, which
        # is the highest id in the vocabulary (as in CLIP), hence argmax.
        idx = input_ids.long().argmax(dim=-1)
        pooled = h[torch.arange(h.shape[0]), idx]
        return h, pooled


class VaeEncoderExport(nn.Module):
    def __init__(self, ae, mean):
        super().__init__()
        self.enc = ae.encoder
        self.register_buffer("mean", torch.tensor(mean)[None, :, None, None])

    def forward(self, sample):
        return self.enc(sample) - self.mean


class VaeDecoderExport(nn.Module):
    def __init__(self, ae, mean):
        super().__init__()
        self.dec = ae.decoder
        self.register_buffer("mean", torch.tensor(mean)[None, :, None, None])

    def forward(self, latent_sample):
        return self.dec(latent_sample + self.mean)


def _export(module, args, path, inputs, outputs, axes, check_args=None):
    """Export, run onnx.checker, and leave torch reference inputs/outputs
    (for verify_onnx.mjs, which replays them through onnxruntime-node).
    check_args: different-shaped inputs for the reference, to exercise the
    dynamic axes."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs,
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
        m = onnx.load(path)
        onnx.checker.check_model(m)
        ref_in = check_args if check_args is not None else args
        ref_out = module(*ref_in)
    ref_out = ref_out if isinstance(ref_out, tuple) else (ref_out,)
    from train import CACHE
    vdir = os.path.join(CACHE, "verify")
    os.makedirs(vdir, exist_ok=True)
    key = os.path.relpath(path, MODELS).replace("/", "__")
    entry = {"model": os.path.abspath(path), "inputs": {}, "outputs": {}}
    for kind, names, tensors in (("inputs", inputs, ref_in), ("outputs", outputs, ref_out)):
        for n, t in zip(names, tensors):
            t = t.detach().contiguous()
            fn = "%s.%s.bin" % (key, n)
            t.numpy().tofile(os.path.join(vdir, fn))
            entry[kind][n] = {"file": fn, "dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape)}
    with open(os.path.join(vdir, key + ".json"), "w") as f:
        json.dump(entry, f)
    return m


def _write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def export_pipeline(log=print):
    from train import load_ae, latent_stats, CACHE
    from train_unet import load_ema
    from tokenizer import build_default

    tok = build_default()
    tok.save(os.path.join(OUT, "tokenizer"))
    te, net, step = load_ema()
    ae = load_ae()
    stats = latent_stats()
    sf = stats["scaling_factor"]
    mean = stats["channel_mean"]
    D = te.dim

    ids = torch.tensor([tok("a large red house on the left, under a sunset sky")], dtype=torch.long)
    ids2 = torch.tensor([tok(""), tok("a small blue star at the top, at night, ink outline")], dtype=torch.long)
    _export(TextEncoderExport(te, tok.eot), (ids,), os.path.join(OUT, "text_encoder", "model.onnx"),
            ["input_ids"], ["last_hidden_state", "pooler_output"],
            {"input_ids": {0: "batch_size", 1: "sequence_length"},
             "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
             "pooler_output": {0: "batch_size"}}, (ids2,))
    _write_json(os.path.join(OUT, "text_encoder", "config.json"), {
        "architectures": ["CLIPTextModel"], "model_type": "clip_text_model",
        "hidden_size": D, "intermediate_size": 4 * D, "num_hidden_layers": len(te.blocks),
        "num_attention_heads": 4, "max_position_embeddings": 77, "vocab_size": len(tok),
        "bos_token_id": tok.sot, "eos_token_id": tok.eot, "pad_token_id": tok.eot,
        "hidden_act": "gelu", "projection_dim": D,
        "mirage_note": "bidirectional attention (no causal mask); trained from scratch"})

    x = torch.randn(2, 4, 16, 16)
    ctx = torch.randn(2, 77, D)
    _export(net, (x, torch.tensor(500.0), ctx), os.path.join(OUT, "unet", "model.onnx"),
            ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
            {"sample": {0: "batch_size", 2: "height", 3: "width"},
             "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"},
             "out_sample": {0: "batch_size", 2: "height", 3: "width"}},
            (torch.randn(3, 4, 14, 18), torch.tensor(321.0), torch.randn(3, 77, D)))
    _write_json(os.path.join(OUT, "unet", "config.json"), {
        "_class_name": "UNet2DConditionModel", "sample_size": 16, "in_channels": 4, "out_channels": 4,
        "cross_attention_dim": D, "block_out_channels": [64, 128, 192],
        "attention_head_dim": 4, "time_cond_proj_dim": None, "addition_embed_type": None,
        "mirage_latent_multiple": 2, "mirage_training_steps": step})

    img = torch.randn(1, 3, 128, 128)
    _export(VaeEncoderExport(ae, mean), (img,), os.path.join(OUT, "vae_encoder", "model.onnx"),
            ["sample"], ["latent_sample"],
            {"sample": {0: "batch_size", 2: "height", 3: "width"},
             "latent_sample": {0: "batch_size", 2: "latent_height", 3: "latent_width"}},
            (torch.rand(2, 3, 112, 144) * 2 - 1,))
    _export(VaeDecoderExport(ae, mean), (torch.randn(1, 4, 16, 16),), os.path.join(OUT, "vae_decoder", "model.onnx"),
            ["latent_sample"], ["sample"],
            {"latent_sample": {0: "batch_size", 2: "latent_height", 3: "latent_width"},
             "sample": {0: "batch_size", 2: "height", 3: "width"}},
            (torch.randn(2, 4, 12, 22),))
    vae_cfg = {"_class_name": "AutoencoderKL", "in_channels": 3, "out_channels": 3, "latent_channels": 4,
               "sample_size": 128, "block_out_channels": [48, 96, 128, 128], "scaling_factor": sf,
               "mirage_note": "deterministic autoencoder; encoder outputs latent_sample (already centred)"}
    _write_json(os.path.join(OUT, "vae_encoder", "config.json"), vae_cfg)
    _write_json(os.path.join(OUT, "vae_decoder", "config.json"), vae_cfg)

    _write_json(os.path.join(OUT, "scheduler", "scheduler_config.json"), {
        "_class_name": "DDIMScheduler", "_diffusers_version": "0.30.0",
        "num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012,
        "beta_schedule": "scaled_linear", "trained_betas": None, "prediction_type": "epsilon",
        "timestep_spacing": "leading", "steps_offset": 1, "set_alpha_to_one": False,
        "clip_sample": False, "skip_prk_steps": True, "rescale_betas_zero_snr": False})
    _write_json(os.path.join(OUT, "model_index.json"), {
        "_class_name": "StableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "feature_extractor": [None, None], "safety_checker": [None, None], "requires_safety_checker": False,
        "image_encoder": [None, None],
        "scheduler": ["diffusers", "DDIMScheduler"], "text_encoder": ["transformers", "CLIPTextModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"], "unet": ["diffusers", "UNet2DConditionModel"],
        "vae": ["diffusers", "AutoencoderKL"]})
    write_manifest(sf)
    log("exported pipeline (%s weights at step %d, scaling_factor %.5f)"
        % (os.environ.get("MIRAGE_WEIGHTS", "ema"), step, sf))


def write_manifest(sf):
    sizes = {ar: {"width": w, "height": h} for ar, (w, h) in render.BUCKETS.items()}
    path = os.path.join(OUT, "mirage.json")
    # Hand-written sections of an existing manifest survive a re-export: the
    # Draft rewriter's vocabulary and the calibrated steering gains
    # (docs/model-manifest.md).
    old = {}
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
    gains = {axis["id"]: axis["gain"] for axis in old.get("style_axes", []) if "gain" in axis}
    _write_json(path, {
        "name": "mirage-tiny",
        "family": "sd1",
        "description": "Tiny latent diffusion model trained from scratch on Mirage's procedural world",
        "base_resolution": 128,
        "vae_scale_factor": 8,
        "scaling_factor": sf,
        "size_multiple": 16,
        "sizes": sizes,
        "presets": PRESETS,
        "negative_prompt": "",
        "style_axes": [{"id": axis, "negative": STYLE_PHRASES[axis][0], "positive": STYLE_PHRASES[axis][1],
                        "statistic": STYLE_STATS[axis],
                        **({"gain": gains[axis]} if axis in gains else {})} for axis in render.STYLE_AXES],
        "vocabulary": {"subjects": render.SUBJECTS, "colours": list(render.COLOURS),
                       "sizes": render.SIZES, "positions": render.POSITIONS,
                       "backgrounds": render.BACKGROUNDS},
        **({"draft": old["draft"]} if "draft" in old else {}),
        "upscaler": "../mirage-tiny-upscaler-x2/model.onnx",
        "evaluation": "eval/",
        "license": "MIT",
    })


def export_upscaler(log=print):
    from upscaler import load_upscaler
    m, ck = load_upscaler()
    path = os.path.join(UPSCALER_OUT, "model.onnx")
    _export(m, (torch.rand(1, 3, 64, 64),), path, ["image"], ["upscaled"],
            {"image": {0: "batch_size", 2: "height", 3: "width"},
             "upscaled": {0: "batch_size", 2: "out_height", 3: "out_width"}},
            (torch.rand(1, 3, 40, 56),))
    _write_json(os.path.join(UPSCALER_OUT, "config.json"), {
        "name": "mirage-tiny-upscaler-x2", "scale": 2, "input": "float32 RGB NCHW in [0,1]",
        "output": "float32 RGB NCHW in [0,1], 2x height and width", "tile": None,
        "psnr_db": {"model": ck["psnr_net"], "lanczos": ck["psnr_lanczos"], "held_out_renders": ck["n_test"]},
        "license": "MIT"})
    log("exported upscaler")


def export_judge(log=print):
    from judge import load_judge, HEADS
    m, acc = load_judge()
    path = os.path.join(OUT, "eval", "judge.onnx")
    _export(m, (torch.rand(1, 3, 128, 128),), path, ["image"], list(HEADS),
            {"image": {0: "batch_size", 2: "height", 3: "width"}, **{k: {0: "batch_size"} for k in HEADS}},
            (torch.rand(2, 3, 96, 176),))
    log("exported judge")


def run(args=None):
    from train import log_to
    log = log_to("export")
    export_pipeline(log)
    from train import CACHE
    if os.path.exists(os.path.join(CACHE, "upscaler.pt")):
        export_upscaler(log)
    if os.path.exists(os.path.join(CACHE, "judge.pt")):
        export_judge(log)


if __name__ == "__main__":
    run()
