#!/usr/bin/env python3
"""NumPy peer of bench-embeddings: the same all-MiniLM-L6-v2 forward pass in float32 NumPy
(its bundled OpenBLAS), on the same 256-token chunks in batches of 32 and the same queries.

    pip install numpy tokenizers
    LOCAL_MODEL_DIR="$(scripts/model-dir)" python3 Benchmarks/Embeddings/peer_numpy.py [batches]

Tokenisation uses Hugging Face `tokenizers` (truncation 256). The forward pass is the textbook
padded-batch one (attention mask, exact erf GELU via a vectorised erf, mean pooling,
normalisation); the chunks all fill 256 tokens, so there is no padding in the batch.
"""
from __future__ import annotations

import json
import math
import os
import struct
import sys
import time
from pathlib import Path

import numpy as np

WORDS = [
    "the", "service", "stores", "documents", "in", "chunks", "and", "each", "chunk", "is",
    "embedded", "with", "a", "small", "transformer", "model", "before", "it", "reaches", "database",
    "where", "vector", "index", "finds", "nearest", "neighbours", "for", "every", "query", "that",
    "users", "send", "through", "gateway", "while", "scheduler", "runs", "background", "jobs", "like",
    "ingestion", "re-embedding", "old", "rows", "memory", "keeps", "conversation", "history", "so",
    "answers", "stay", "grounded", "on", "sources", "written", "by", "teams", "across", "company",
    "reports", "meeting", "notes", "tickets", "2024",
]
QUERIES = [
    "how do I reset my password", "vector search latency in production",
    "which team owns the ingestion pipeline?", "meeting notes from last tuesday about the database migration",
    "why did the scheduler skip the nightly job", "summarise the open tickets for the gateway",
    "what is the refund policy for annual plans", "find documents about hnsw index tuning",
]


def chunk_text(index: int, count: int = 300) -> str:
    return " ".join(WORDS[(index * 31 + j * 17 + (j * j) % 7) % len(WORDS)] for j in range(count))


def flops_per_sequence(length: int) -> float:
    h, inner, layers = 384.0, 1536.0, 6.0
    dense = 2 * length * (3 * h * h + h * h + 2 * h * inner)
    attention = 2 * 2 * length * length * h
    return layers * (dense + attention)


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + b : 8 + n + e], dtype=np.float32).reshape(info["shape"])
    return out


def erf(x: np.ndarray) -> np.ndarray:
    # Vectorised float32 erf (the same rational approximation as the Swift encoder; NumPy has
    # no erf, and math.erf per element would make the peer 20x slower than it needs to be).
    x = np.clip(x, -4.0, 4.0)
    x2 = x * x
    p = np.float32(-2.72614225801306e-10)
    for c in (2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
              -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02):
        p = p * x2 + np.float32(c)
    q = np.float32(-1.45660718464996e-05)
    for c in (-2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03, -1.42647390514189e-02):
        q = q * x2 + np.float32(c)
    return x * p / q


class Model:
    def __init__(self, model_dir: Path):
        self.w = read_safetensors(model_dir / "model.safetensors")
        self.wt = {k: np.ascontiguousarray(v.T) for k, v in self.w.items() if v.ndim == 2 and "encoder" in k}

    def ln(self, x, p):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-12) * self.w[p + ".weight"] + self.w[p + ".bias"]

    def lin(self, x, p):
        return x @ self.wt[p + ".weight"] + self.w[p + ".bias"]

    def embed(self, batch: list[list[int]]) -> np.ndarray:
        b = len(batch)
        n = max(len(s) for s in batch)
        ids = np.zeros((b, n), dtype=np.int64)
        mask = np.zeros((b, n), dtype=np.float32)
        for i, s in enumerate(batch):
            ids[i, : len(s)] = s
            mask[i, : len(s)] = 1
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self.ln(x, "embeddings.LayerNorm")
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for i in range(6):
            p = f"encoder.layer.{i}."
            # contiguous per-head blocks so that the batched matmuls go to BLAS
            heads = lambda t: np.ascontiguousarray(t.reshape(b, n, 12, 32).transpose(0, 2, 1, 3))
            q = heads(self.lin(x, p + "attention.self.query"))
            k = np.ascontiguousarray(heads(self.lin(x, p + "attention.self.key")).transpose(0, 1, 3, 2))
            v = heads(self.lin(x, p + "attention.self.value"))
            s = q @ k * np.float32(1 / math.sqrt(32)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b, n, 384)
            x = self.ln(self.lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = self.lin(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + erf(h * np.float32(1 / math.sqrt(2))))
            x = self.ln(self.lin(h, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def main() -> int:
    from tokenizers import Tokenizer

    batches = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    model_dir = Path(os.environ["LOCAL_MODEL_DIR"])
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    model = Model(model_dir)

    a = np.random.rand(2048, 2048).astype(np.float32)
    a @ a
    best = 0.0
    t_end = time.perf_counter() + 2
    while time.perf_counter() < t_end:
        t = time.perf_counter()
        a @ a
        best = max(best, 2 * 2048**3 / (time.perf_counter() - t) / 1e9)
    print(f"NumPy {np.__version__}; sgemm 2048²: {best:.1f} GFLOP/s")

    chunks = [chunk_text(i) for i in range(32 * batches)]
    ids = [e.ids for e in tok.encode_batch(chunks)]
    assert all(len(s) == 256 for s in ids)
    model.embed(ids[:32])  # warm-up
    t = time.perf_counter()
    for b in range(batches):
        model.embed(ids[b * 32 : (b + 1) * 32])
    elapsed = time.perf_counter() - t
    cps = 32 * batches / elapsed
    gflops = cps * flops_per_sequence(256) / 1e9
    print(f"256-token chunks, batches of 32: {cps:.1f} chunks/s, {gflops:.1f} GFLOP/s "
          f"({100 * gflops / best:.0f}% of the 2048² sgemm)")

    lat = []
    for r in range(400):
        q = QUERIES[r % len(QUERIES)]
        t = time.perf_counter()
        model.embed([tok.encode(q).ids])
        lat.append((time.perf_counter() - t) * 1000)
    lat = sorted(lat[16:])
    p = lambda f: lat[min(len(lat) - 1, math.ceil(len(lat) * f) - 1)]
    print(f"one query: p50 {p(0.5):.2f} ms, p95 {p(0.95):.2f} ms, p99 {p(0.99):.2f} ms")
    print(f"RESULT chunks_per_s={cps:.2f} gflops={gflops:.1f} blas_2048_gflops={best:.1f} "
          f"query_p50_ms={p(0.5):.2f} query_p95_ms={p(0.95):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
