#!/usr/bin/env python3
"""Builds gramc's demo vocabulary: a small byte-level BPE trained on JSON this script generates.

Output (deterministic; Python 3 standard library only):
  corpus/vocab/demo/tokens.jsonl           one {"id", "bytes_hex", "special"} line per token id
  corpus/vocab/demo/tokenizer_config.json  {"eos_token": "<|endoftext|>"}
  corpus/vocab/demo/README.md              what it is and how it was made

Ids 0-255 are the single bytes 0x00-0xFF, then come the merged tokens in the order BPE learned
them, then the special token <|endoftext|> (the EOS). Run from anywhere:
  python3 corpus/make-demo-vocab.py
"""

import json
import random
import re
from collections import Counter
from pathlib import Path

SEED = 20240601
DOCUMENTS = 1500
MERGED_TOKENS = 2200            # at most this many tokens learned on top of the 256 bytes
SPECIAL_TOKENS = ["<|endoftext|>"]

OUT = Path(__file__).resolve().parent / "vocab" / "demo"

KEYS = [
    "name", "id", "type", "value", "items", "description", "email", "age", "tags", "created_at",
    "updated_at", "status", "price", "count", "enabled", "url", "title", "data", "children",
    "metadata", "version", "user", "address", "city", "country", "score", "properties", "required",
    "enum", "format", "minimum", "maximum", "pattern", "default", "label", "key", "level", "date",
    "quantity", "currency", "phone", "first_name", "last_name", "active", "role", "results", "error",
    "message", "code", "total", "page", "limit", "offset", "latitude", "longitude", "color", "size",
]
WORDS = """
alpha beta gamma delta apple banana cherry orange lemon grape red green blue black white yellow
purple small large medium tiny huge open closed pending active inactive archived draft published
admin user guest owner editor viewer London Paris Berlin Tokyo Madrid Rome Oslo Lima Cairo Delhi
Alice Bob Carol Dave Eve Frank Grace Heidi Ivan Judy Mallory Oscar Peggy Trent Victor Walter
hello world the quick brown fox jumps over lazy dog a an and or not of to in on at by for with
from into about after before between under above string number integer boolean object array null
true false example test value data item order product service error warning info debug success
failed request response client server file folder path name title text content body header
footer page section chapter book author library index table row column field record list set map
key entry node tree graph edge vertex first last next previous new old good bad high low fast slow
early late start end begin finish create read update delete search filter sort group count sum
average minimum maximum total price cost tax discount invoice payment account balance customer
supplier address street city state country region zone code phone email website company team
project task issue ticket comment review release version build deploy config setting option
feature module package class method function variable parameter argument result output input
message event action status state type kind category label tag note description summary detail
image video audio color size weight height width length depth time date year month week day hour
minute second morning evening today tomorrow yesterday always never sometimes often
café naïve Zürich São Paulo 日本 東京 ✓ → € Ünïcode
""".split()
TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"]


def random_string(rng):
    kind = rng.random()
    if kind < 0.5:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
    if kind < 0.65:
        return rng.choice(TYPES)
    if kind < 0.75:
        user = rng.choice(WORDS).lower()
        return f"{user}{rng.randint(1, 99)}@example.com"
    if kind < 0.85:
        return f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind < 0.92:
        return f"https://example.com/{rng.choice(WORDS).lower()}/{rng.randint(1, 999)}"
    words = [rng.choice(WORDS).lower() for _ in range(rng.randint(2, 3))]
    return "_".join(words) if rng.random() < 0.5 else words[0] + "".join(w.title() for w in words[1:])


def random_number(rng):
    kind = rng.random()
    if kind < 0.55:
        return rng.randint(0, 100)
    if kind < 0.75:
        return rng.randint(-10000, 100000)
    if kind < 0.95:
        return round(rng.uniform(-1000, 1000), rng.randint(1, 4))
    return float(f"{rng.uniform(1, 10):.3f}e{rng.randint(-8, 8)}")


def random_value(rng, depth):
    kind = rng.random()
    if depth < 3 and kind < 0.18:
        return random_object(rng, depth + 1)
    if depth < 3 and kind < 0.32:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    if kind < 0.62:
        return random_string(rng)
    if kind < 0.88:
        return random_number(rng)
    if kind < 0.96:
        return rng.random() < 0.5
    return None


def random_object(rng, depth=0):
    keys = rng.sample(KEYS, rng.randint(1, 7))
    return {key: random_value(rng, depth) for key in keys}


def corpus(rng):
    """JSON documents in compact, default and indented layouts."""
    texts = []
    for _ in range(DOCUMENTS):
        doc = random_object(rng) if rng.random() < 0.85 else [random_object(rng) for _ in range(rng.randint(1, 3))]
        layout = rng.random()
        ascii_only = rng.random() < 0.3
        if layout < 0.3:
            texts.append(json.dumps(doc, separators=(",", ":"), ensure_ascii=ascii_only))
        elif layout < 0.6:
            texts.append(json.dumps(doc, ensure_ascii=ascii_only))
        elif layout < 0.85:
            texts.append(json.dumps(doc, indent=2, ensure_ascii=ascii_only))
        else:
            texts.append(json.dumps(doc, indent=4, ensure_ascii=ascii_only))
    return texts


# Pre-tokenization in the spirit of GPT-2's: letters with an optional leading space, up to three
# digits, punctuation runs with an optional leading space, and whitespace runs.
CHUNK = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d{1,3}| ?[^\s\w]+|\s+(?!\S)|\s+""")


def train(texts):
    """Byte-level BPE: returns the token byte strings after the 256 single bytes."""
    words = Counter()
    for text in texts:
        for chunk in CHUNK.findall(text):
            words[chunk.encode("utf-8")] += 1
    vocab = [bytes([b]) for b in range(256)]
    index = {token: i for i, token in enumerate(vocab)}
    entries = [[list(word), count] for word, count in sorted(words.items())]

    pair_counts = Counter()
    where = {}
    for w, (symbols, count) in enumerate(entries):
        for pair in zip(symbols, symbols[1:]):
            pair_counts[pair] += count
            where.setdefault(pair, set()).add(w)

    learned = []
    while len(learned) < MERGED_TOKENS and pair_counts:
        # Most frequent pair; ties go to the lowest ids, so the result is deterministic.
        (a, b), count = max(pair_counts.items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]))
        if count < 2:
            break
        merged = vocab[a] + vocab[b]
        if merged not in index:
            index[merged] = len(vocab)
            vocab.append(merged)
            learned.append(merged)
        new = index[merged]
        for w in sorted(where.pop((a, b), ())):
            symbols, n = entries[w]
            for pair in zip(symbols, symbols[1:]):
                pair_counts[pair] -= n
                if pair_counts[pair] <= 0:
                    del pair_counts[pair]
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
                    out.append(new)
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            entries[w][0] = out
            for pair in zip(out, out[1:]):
                pair_counts[pair] += n
                where.setdefault(pair, set()).add(w)
        pair_counts.pop((a, b), None)
    return learned


def main():
    rng = random.Random(SEED)
    texts = corpus(rng)
    learned = train(texts)
    tokens = [(bytes([b]), False) for b in range(256)]
    tokens += [(t, False) for t in learned]
    tokens += [(s.encode("utf-8"), True) for s in SPECIAL_TOKENS]
    eos_id = len(tokens) - len(SPECIAL_TOKENS)

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "tokens.jsonl", "w", encoding="ascii", newline="\n") as f:
        for i, (token, special) in enumerate(tokens):
            f.write(f'{{"id": {i}, "bytes_hex": "{token.hex()}", "special": {"true" if special else "false"}}}\n')
    with open(OUT / "tokenizer_config.json", "w", encoding="ascii", newline="\n") as f:
        f.write(json.dumps({"eos_token": SPECIAL_TOKENS[0]}, indent=2) + "\n")

    corpus_bytes = sum(len(t.encode("utf-8")) for t in texts)
    longest = max(len(t) for t, _ in tokens)
    examples = ", ".join(f"`{t.decode('utf-8', 'replace')!r}`" for t in learned[:12])
    readme = f"""# demo — gramc's own small byte-level BPE vocabulary

A {len(tokens):,}-id vocabulary for the README demo and for tests that must not depend on any
downloaded tokenizer. Made by [`corpus/make-demo-vocab.py`](../../make-demo-vocab.py) (Python 3
standard library only, deterministic: rerunning it rewrites these files byte for byte).

| | |
|---|---|
| ids | {len(tokens):,} (0–{len(tokens) - 1}, no gaps) |
| single bytes | ids 0–255 are the bytes 0x00–0xFF |
| merged tokens | ids 256–{eos_id - 1} ({len(learned):,}), in the order BPE learned them |
| special | {eos_id} `<|endoftext|>` (`special: true`) |
| EOS | **{eos_id}** `<|endoftext|>` (named by `tokenizer_config.json`) |
| longest token | {longest} bytes |

## How it was made
1. {DOCUMENTS:,} random JSON documents ({corpus_bytes:,} bytes) are generated from seed {SEED}: objects
   and arrays nested up to 4 deep, keys such as `name`, `id`, `type`, `value`, strings (words,
   e-mail addresses, dates, URLs, some non-ASCII), integers, decimals, exponents, booleans and
   null, written compact, with `json.dumps` defaults, or indented by 2 or 4 spaces.
2. The text is split GPT-2-style into letter runs (with an optional leading space), 1–3 digit
   runs, punctuation runs (with an optional leading space) and whitespace runs.
3. Byte-level BPE over the UTF-8 bytes of those chunks: the most frequent adjacent pair is
   merged (ties to the lowest ids) until {MERGED_TOKENS:,} tokens are learned or no pair occurs
   twice; {len(learned):,} were learned. First merges:
   {examples}.

## Files
* `tokens.jsonl` — one line per id, `{{"id": N, "bytes_hex": "…", "special": bool}}` (the format of
  `/work/shared/vocab`); load with `Vocabulary(contentsOf: "corpus/vocab/demo")`.
* `tokenizer_config.json` — `eos_token`, so loaders find the EOS id.

No merges file is kept: gramc needs only each id's bytes.
"""
    (OUT / "README.md").write_text(readme, encoding="utf-8")
    print(f"wrote {len(tokens)} tokens to {OUT} (EOS {eos_id})")


if __name__ == "__main__":
    main()
