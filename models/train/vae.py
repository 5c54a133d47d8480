"""Deterministic 8x autoencoder: RGB in [-1, 1] (3 x H x W) <-> 4 x H/8 x W/8.

Not a KL-VAE: with a fixed procedural world a plain autoencoder gives sharper
reconstructions for the same compute, and the diffusion model only needs a
fixed, smooth latent space.  Resolution changes use space-to-depth /
depth-to-space (pixel (un)shuffle) plus convolutions at the lower resolution,
which costs far less on 2 CPU cores than strided or transposed convolutions
at full resolution.  Capacity sits in the decoder, which alone decides how
sharp the subjects look.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Res(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n1 = nn.GroupNorm(8, c)
        self.c1 = nn.Conv2d(c, c, 3, padding=1)
        self.n2 = nn.GroupNorm(8, c)
        self.c2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        h = self.c1(F.silu(self.n1(x)))
        return x + self.c2(F.silu(self.n2(h)))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Conv2d(12, 48, 3, padding=1)        # 64x64 after unshuffle
        self.l1 = nn.Conv2d(48, 48, 3, padding=1)
        self.d2 = nn.Conv2d(192, 96, 1)                   # 32x32
        self.l2 = Res(96)
        self.d3 = nn.Conv2d(384, 128, 1)                  # 16x16
        self.l3 = Res(128)
        self.out = nn.Sequential(nn.GroupNorm(8, 128), nn.SiLU(), nn.Conv2d(128, 4, 3, padding=1))

    def forward(self, x):
        h = F.silu(self.inp(F.pixel_unshuffle(x, 2)))
        h = h + F.silu(self.l1(h))
        h = self.l2(self.d2(F.pixel_unshuffle(h, 2)))
        h = self.l3(self.d3(F.pixel_unshuffle(h, 2)))
        return self.out(h)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Conv2d(4, 128, 3, padding=1)
        self.l1 = nn.Sequential(Res(128), Res(128))
        self.u2 = nn.Conv2d(128, 96 * 4, 3, padding=1)    # -> 32x32
        self.l2 = Res(96)
        self.u3 = nn.Conv2d(96, 64 * 4, 3, padding=1)     # -> 64x64
        self.l3 = nn.Sequential(nn.GroupNorm(8, 64), nn.SiLU(), nn.Conv2d(64, 64, 3, padding=1), nn.SiLU())
        self.out = nn.Conv2d(64, 3 * 4, 3, padding=1)     # -> 128x128

    def forward(self, z):
        h = self.l1(self.inp(z))
        h = self.l2(F.pixel_shuffle(self.u2(h), 2))
        h = F.pixel_shuffle(self.u3(h), 2)
        h = h + self.l3(h)
        return F.pixel_shuffle(self.out(h), 2)


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()

    def forward(self, x):
        return self.decoder(self.encoder(x))


def to_tensor(u8):
    """uint8 NHWC numpy -> float NCHW in [-1, 1]."""
    return torch.from_numpy(u8).permute(0, 3, 1, 2).float().div(127.5).sub(1)


def psnr(a, b):
    """PSNR in dB between two [-1, 1] tensors, on the [0, 1] scale."""
    mse = ((a.clamp(-1, 1) - b) / 2).pow(2).mean()
    return (10 * torch.log10(1 / mse)).item()
