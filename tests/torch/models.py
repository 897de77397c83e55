"""Small transformers written plainly in torch.nn, as Hugging Face writes them.

GPT-2 (pre-norm LayerNorm, fused QKV linear, GeLU MLP, tied LM head, learned
positions), BERT (post-norm, separate Q/K/V linears, token types, embedding
LayerNorm, pooler-free MLM head with its dense + LayerNorm transform) and
LLaMA (RMSNorm written as `w * (x * rsqrt(mean(x^2) + eps))`, separate Q/K/V,
GQA by `repeat_kv`, rotary positions, SwiGLU, untied head). Weights are random;
nothing is downloaded. Each config also writes itself as a memwall
TransformerSpec text proto (to_textproto) so the two are built from one place.
"""
import math
from dataclasses import dataclass

import torch
from torch import nn
import torch.nn.functional as F


@dataclass
class Config:
    family: str  # gpt2 | bert | llama
    layers: int
    hidden: int
    heads: int
    ffn: int
    vocab: int
    seq: int
    kv_heads: int = 0  # 0 = heads
    dropout: float = 0.0
    type_vocab: int = 2  # BERT only

    @property
    def kv(self):
        return self.kv_heads or self.heads


# --- GPT-2 -----------------------------------------------------------------


class Gpt2Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c.hidden
        self.heads = c.heads
        self.ln_1 = nn.LayerNorm(h)
        self.c_attn = nn.Linear(h, 3 * h)
        self.c_proj = nn.Linear(h, h)
        self.attn_dropout = nn.Dropout(c.dropout)
        self.resid_dropout = nn.Dropout(c.dropout)
        self.ln_2 = nn.LayerNorm(h)
        self.c_fc = nn.Linear(h, c.ffn)
        self.mlp_proj = nn.Linear(c.ffn, h)
        self.mlp_dropout = nn.Dropout(c.dropout)

    def forward(self, x, mask):
        b, s, h = x.shape
        a, d = self.heads, h // self.heads
        q, k, v = self.c_attn(self.ln_1(x)).split(h, dim=2)
        q = q.view(b, s, a, d).transpose(1, 2)
        k = k.view(b, s, a, d).transpose(1, 2)
        v = v.view(b, s, a, d).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + mask
        probs = self.attn_dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, h)
        x = x + self.resid_dropout(self.c_proj(ctx))
        y = self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))
        return x + self.mlp_dropout(y)


class Gpt2(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = nn.Embedding(c.vocab, c.hidden)
        self.wpe = nn.Embedding(c.seq, c.hidden)
        self.drop = nn.Dropout(c.dropout)
        self.blocks = nn.ModuleList(Gpt2Block(c) for _ in range(c.layers))
        self.ln_f = nn.LayerNorm(c.hidden)

    def forward(self, ids):
        s = ids.shape[1]
        pos = torch.arange(s, device=ids.device)
        mask = torch.full((s, s), float("-inf"), device=ids.device).triu(1)
        x = self.drop(self.wte(ids) + self.wpe(pos))
        for blk in self.blocks:
            x = blk(x, mask)
        return F.linear(self.ln_f(x), self.wte.weight)


# --- BERT ------------------------------------------------------------------


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c.hidden
        self.heads = c.heads
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)
        self.attn_dropout = nn.Dropout(c.dropout)
        self.attn_out = nn.Linear(h, h)
        self.attn_out_dropout = nn.Dropout(c.dropout)
        self.attn_norm = nn.LayerNorm(h, eps=1e-12)
        self.inter = nn.Linear(h, c.ffn)
        self.out = nn.Linear(c.ffn, h)
        self.out_dropout = nn.Dropout(c.dropout)
        self.out_norm = nn.LayerNorm(h, eps=1e-12)

    def forward(self, x):
        b, s, h = x.shape
        a, d = self.heads, h // self.heads

        def heads(t):
            return t.view(b, s, a, d).permute(0, 2, 1, 3)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d)
        probs = self.attn_dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(b, s, h)
        x = self.attn_norm(self.attn_out_dropout(self.attn_out(ctx)) + x)
        y = self.out_dropout(self.out(F.gelu(self.inter(x))))
        return self.out_norm(y + x)


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c.hidden
        self.word = nn.Embedding(c.vocab, h)
        self.position = nn.Embedding(c.seq, h)
        self.token_type = nn.Embedding(c.type_vocab, h)
        self.emb_norm = nn.LayerNorm(h, eps=1e-12)
        self.emb_dropout = nn.Dropout(c.dropout)
        self.blocks = nn.ModuleList(BertLayer(c) for _ in range(c.layers))
        # MLM head: dense + GeLU + LayerNorm, tied decoder with its own bias.
        self.head_dense = nn.Linear(h, h)
        self.head_norm = nn.LayerNorm(h, eps=1e-12)
        self.head_bias = nn.Parameter(torch.zeros(c.vocab))

    def forward(self, ids):
        s = ids.shape[1]
        pos = torch.arange(s, device=ids.device)
        types = torch.zeros_like(ids)
        x = self.word(ids) + self.position(pos) + self.token_type(types)
        x = self.emb_dropout(self.emb_norm(x))
        for blk in self.blocks:
            x = blk(x)
        # CPU autocast (torch 1.13) does not run layer_norm in fp32: cast first.
        y = self.head_norm(F.gelu(self.head_dense(x)).float())
        return F.linear(y, self.word.weight, self.head_bias)


# --- LLaMA -----------------------------------------------------------------


class RmsNorm(nn.Module):
    def __init__(self, h, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(h))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x = x.to(torch.float32)
        var = x.pow(2).mean(-1, keepdim=True)
        x = x * torch.rsqrt(var + self.eps)
        return self.weight * x.to(dtype)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def repeat_kv(x, n):
    if n == 1:
        return x
    b, g, s, d = x.shape
    return x[:, :, None].expand(b, g, n, s, d).reshape(b, g * n, s, d)


class LlamaLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c.hidden
        self.heads, self.kv = c.heads, c.kv
        d = h // c.heads
        self.input_norm = RmsNorm(h)
        self.q_proj = nn.Linear(h, c.heads * d, bias=False)
        self.k_proj = nn.Linear(h, c.kv * d, bias=False)
        self.v_proj = nn.Linear(h, c.kv * d, bias=False)
        self.o_proj = nn.Linear(c.heads * d, h, bias=False)
        self.post_norm = RmsNorm(h)
        self.gate_proj = nn.Linear(h, c.ffn, bias=False)
        self.up_proj = nn.Linear(h, c.ffn, bias=False)
        self.down_proj = nn.Linear(c.ffn, h, bias=False)

    def forward(self, x, cos, sin, mask):
        b, s, h = x.shape
        a, g = self.heads, self.kv
        d = h // a
        y = self.input_norm(x)
        q = self.q_proj(y).view(b, s, a, d).transpose(1, 2)
        k = self.k_proj(y).view(b, s, g, d).transpose(1, 2)
        v = self.v_proj(y).view(b, s, g, d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k, v = repeat_kv(k, a // g), repeat_kv(v, a // g)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(d) + mask
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, h)
        x = x + self.o_proj(ctx)
        y = self.post_norm(x)
        y = self.down_proj(F.silu(self.gate_proj(y)) * self.up_proj(y))
        return x + y


class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = nn.Embedding(c.vocab, c.hidden)
        self.blocks = nn.ModuleList(LlamaLayer(c) for _ in range(c.layers))
        self.norm = RmsNorm(c.hidden)
        self.lm_head = nn.Linear(c.hidden, c.vocab, bias=False)
        self.head_dim = c.hidden // c.heads

    def forward(self, ids):
        s = ids.shape[1]
        d, dev = self.head_dim, ids.device
        inv = 1.0 / (10000 ** (torch.arange(0, d, 2, device=dev).float() / d))
        freqs = torch.outer(torch.arange(s, device=dev).float(), inv)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        mask = torch.full((s, s), float("-inf"), device=dev).triu(1)
        x = self.embed(ids)
        for blk in self.blocks:
            x = blk(x, cos, sin, mask)
        return self.lm_head(self.norm(x))


def build(c):
    return {"gpt2": Gpt2, "bert": Bert, "llama": Llama}[c.family](c)


def to_textproto(c, name):
    """The same model as a memwall ModelSpec text proto."""
    common = [
        f'name: "{name}"',
        'domain: "nlp"',
        "transformer {",
        f"  num_layers: {c.layers}",
        f"  hidden_size: {c.hidden}",
        f"  num_heads: {c.heads}",
        f"  num_kv_heads: {c.kv}",
        f"  ffn_hidden_size: {c.ffn}",
        f"  vocab_size: {c.vocab}",
        f"  max_seq_len: {c.seq}",
        f"  dropout: {'true' if c.dropout > 0 else 'false'}",
    ]
    if c.family == "gpt2":
        common += [
            "  activation: GELU", "  norm: LAYER_NORM", "  tied_embeddings: true",
            "  learned_positions: true", "  linear_bias: true", "  causal: true",
            "  fused_qkv_linear: true",
            "  final_norm: true",
        ]
    elif c.family == "bert":
        common += [
            "  activation: GELU", "  norm: LAYER_NORM", "  tied_embeddings: true",
            "  learned_positions: true", "  linear_bias: true",
            f"  type_vocab_size: {c.type_vocab}", "  mlm_head_transform: true",
            "  embedding_norm: true",
        ]
    else:
        common += [
            "  activation: SWIGLU", "  norm: RMS_NORM", "  causal: true",
            "  final_norm: true",
        ]
    return "\n".join(common + ["}", ""])
