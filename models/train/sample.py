"""DDIM sampling with classifier-free guidance, in torch, following the same
math as diffusers' DDIMScheduler (eta 0, set_alpha_to_one false) and the
pipeline glue the TypeScript engine implements: batch [uncond, cond],
eps = eps_u + g (eps_c - eps_u), decode latents / scaling_factor.
"""
import torch

from train_unet import alphas_cumprod


def ddim_timesteps(n, spacing="leading", T=1000, offset=1):
    if spacing == "leading":
        step = T // n
        return [i * step + offset for i in range(n)][::-1]
    if spacing == "trailing":
        return [int(round(T - i * T / n)) - 1 for i in range(n)]
    raise ValueError(spacing)


@torch.no_grad()
def sample(te, net, ids_cond, ids_uncond, noise, steps, guidance, spacing="leading", offset=1):
    """Returns normalized latents u (the UNet's space) for a batch of prompts
    starting from `noise` (B, 4, h, w); DDIM's initial sigma is 1."""
    ac = alphas_cumprod()
    x = noise
    ctx = te(torch.cat([ids_uncond, ids_cond]))
    ts = ddim_timesteps(steps, spacing, offset=offset if spacing == "leading" else 0)
    T = 1000
    for t in ts:
        eps_u, eps_c = net(torch.cat([x, x]), torch.tensor(float(t)), ctx).chunk(2)
        eps = eps_u + guidance * (eps_c - eps_u)
        prev = t - T // steps
        a = ac[t]
        a_prev = ac[prev] if prev >= 0 else ac[0]
        x0 = (x - (1 - a).sqrt() * eps) / a.sqrt()
        x = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
    return x


@torch.no_grad()
def decode(ae, u, stats):
    """Normalized latents -> uint8 NHWC images."""
    mean = torch.tensor(stats["channel_mean"])[None, :, None, None]
    z = u / stats["scaling_factor"] + mean
    img = ae.decoder(z).clamp(-1, 1)
    return ((img + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
