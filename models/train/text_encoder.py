"""Small CLIP-shaped text encoder: input_ids [B, 77] -> last_hidden_state [B, 77, D].

Pre-LayerNorm transformer with learned positions.  Unlike CLIP it attends in
both directions: with a tiny model, letting "red" see "house" (which comes
after it) makes attribute binding in two-object prompts much easier.  Padding
is the end token, as in SD 1.x, so no attention mask is needed; the padded
positions are just constant inputs.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_LEN = 77


class Attention(nn.Module):
    def __init__(self, dim, heads, ctx_dim=None):
        super().__init__()
        ctx_dim = ctx_dim or dim
        self.heads = heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(ctx_dim, dim, bias=False)
        self.v = nn.Linear(ctx_dim, dim, bias=False)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, ctx=None):
        ctx = x if ctx is None else ctx
        B, N, D = x.shape
        h = self.heads
        q = self.q(x).reshape(B, N, h, D // h).transpose(1, 2)
        k = self.k(ctx).reshape(B, -1, h, D // h).transpose(1, 2)
        v = self.v(ctx).reshape(B, -1, h, D // h).transpose(1, 2)
        w = torch.softmax(q @ k.transpose(-1, -2) * (D // h) ** -0.5, dim=-1)
        return self.o((w @ v).transpose(1, 2).reshape(B, N, D))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.n1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.n2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.n1(x))
        return x + self.mlp(self.n2(x))


class TextEncoder(nn.Module):
    def __init__(self, vocab_size, dim=192, layers=2, heads=4):
        super().__init__()
        self.dim = dim
        self.tok = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.zeros(1, MAX_LEN, dim))
        nn.init.normal_(self.tok.weight, std=0.02)
        nn.init.normal_(self.pos, std=0.01)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, input_ids):
        ids = input_ids.long()
        x = self.tok(ids) + self.pos[:, :ids.shape[1]]
        for b in self.blocks:
            x = b(x)
        return self.norm(x)
