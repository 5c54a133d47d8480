"""UNet with cross-attention for 4-channel latents (any even height/width).

Layout (for a 16x16 latent):
  stem      16x16, 64 ch: conv, time-conditioned residual block, cross-attention
  patchify  2x2 space-to-depth -> 8x8, 128 ch   (the body runs at 1/4 the
            positions, which is what makes CPU training affordable)
  level 1   8x8: 2 x [res block, self-attn + cross-attn]
  level 2   4x4, 192 ch: res, attn, res        (stride-2 conv; odd sizes round up)
  up        back to 8x8 (nearest, cropped to the skip's size), 2 x [res, attn]
  unpatchify depth-to-space -> 16x16, merged with the stem, res block, out conv

Every level cross-attends to the text so colour/position words reach all
scales.  `timestep` may be rank 0 (optimum >= 1.24 convention) or [B].
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from text_encoder import Attention


def timestep_embedding(t, dim):
    t = t.reshape(-1).float()
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


class ResT(nn.Module):
    """Residual block with an additive timestep embedding."""

    def __init__(self, cin, cout, tdim):
        super().__init__()
        self.n1 = nn.GroupNorm(8, cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(tdim, cout)
        self.n2 = nn.GroupNorm(8, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        nn.init.zeros_(self.c2.weight)
        nn.init.zeros_(self.c2.bias)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x)))
        h = h + self.t(temb)[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


class AttnBlock(nn.Module):
    """Transformer block over spatial positions: optional self-attention,
    cross-attention to the text, feed-forward."""

    def __init__(self, c, ctx_dim, heads=4, self_attn=True):
        super().__init__()
        self.self_attn = self_attn
        if self_attn:
            self.n0 = nn.LayerNorm(c)
            self.sa = Attention(c, heads)
        self.n1 = nn.LayerNorm(c)
        self.ca = Attention(c, heads, ctx_dim)
        self.n2 = nn.LayerNorm(c)
        self.ff = nn.Sequential(nn.Linear(c, 2 * c), nn.GELU(), nn.Linear(2 * c, c))

    def forward(self, x, ctx):
        B, C, H, W = x.shape
        h = x.flatten(2).transpose(1, 2)
        if self.self_attn:
            h = h + self.sa(self.n0(h))
        h = h + self.ca(self.n1(h), ctx)
        h = h + self.ff(self.n2(h))
        return h.transpose(1, 2).reshape(B, C, H, W)


class UNet(nn.Module):
    def __init__(self, ctx_dim=192, c0=64, c1=128, c2=192, tdim=256):
        super().__init__()
        self.tfreq = 128
        self.temb = nn.Sequential(nn.Linear(128, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        self.stem = nn.Conv2d(4, c0, 3, padding=1)
        self.s_res = ResT(c0, c0, tdim)
        self.s_attn = AttnBlock(c0, ctx_dim, heads=2, self_attn=False)
        self.patch = nn.Conv2d(4 * c0, c1, 1)
        self.d_res = nn.ModuleList([ResT(c1, c1, tdim), ResT(c1, c1, tdim)])
        self.d_attn = nn.ModuleList([AttnBlock(c1, ctx_dim), AttnBlock(c1, ctx_dim)])
        self.down = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.m_res1 = ResT(c2, c2, tdim)
        self.m_attn = AttnBlock(c2, ctx_dim)
        self.m_res2 = ResT(c2, c2, tdim)
        self.up = nn.Conv2d(c2, c1, 3, padding=1)
        self.u_res = nn.ModuleList([ResT(2 * c1, c1, tdim), ResT(2 * c1, c1, tdim)])
        self.u_attn = nn.ModuleList([AttnBlock(c1, ctx_dim), AttnBlock(c1, ctx_dim)])
        self.unpatch = nn.Conv2d(c1, 4 * c0, 1)
        self.o_res = ResT(2 * c0, c0, tdim)
        self.o_attn = AttnBlock(c0, ctx_dim, heads=2, self_attn=False)
        self.out = nn.Sequential(nn.GroupNorm(8, c0), nn.SiLU(), nn.Conv2d(c0, 4, 3, padding=1))
        nn.init.zeros_(self.out[-1].weight)
        nn.init.zeros_(self.out[-1].bias)

    def forward(self, sample, timestep, encoder_hidden_states):
        ctx = encoder_hidden_states
        temb = self.temb(timestep_embedding(timestep, self.tfreq))
        h0 = self.s_res(self.stem(sample), temb)
        h0 = self.s_attn(h0, ctx)
        h = self.patch(F.pixel_unshuffle(h0, 2))
        skips = []
        for r, a in zip(self.d_res, self.d_attn):
            h = a(r(h, temb), ctx)
            skips.append(h)
        m = self.m_res1(self.down(h), temb)
        m = self.m_res2(self.m_attn(m, ctx), temb)
        m = F.interpolate(m, scale_factor=2.0, mode="nearest")
        h = self.up(m[:, :, :h.shape[2], :h.shape[3]])
        for r, a in zip(self.u_res, self.u_attn):
            h = a(r(torch.cat([h, skips.pop()], 1), temb), ctx)
        h = F.pixel_shuffle(self.unpatch(h), 2)
        h = self.o_res(torch.cat([h, h0], 1), temb)
        h = self.o_attn(h, ctx)
        return self.out(h)
