"""Writes the documents the tokenizer oracle tests encode, as JSONL: every document of
SHARED/data/text, the extraction benchmarks' gold texts, and generated adversarial strings
(whitespace runs, digits, emoji, mixed scripts, marks, case-folded contractions, NEL, special
and added tokens' strings, text that NFC changes).

    tokenizer_corpus.py SHARED_DIR OUT.jsonl
"""
import gzip
import json
import random
import subprocess
import sys
from pathlib import Path

shared, out = Path(sys.argv[1]), sys.argv[2]
docs = []
for f in sorted((shared / "data" / "text").glob("*.jsonl.zst")):
    data = subprocess.run(["zstd", "-dc", str(f)], check=True, capture_output=True).stdout
    docs += [json.loads(l)["text"] for l in data.splitlines() if l.strip()]
for f in sorted([*(shared / "data" / "extraction").glob("*/truth.jsonl.gz"),
                 *(shared / "data" / "extraction-dev").glob("*/truth.jsonl.gz")]):
    with gzip.open(f, "rt") as g:
        for line in g:
            r = json.loads(line)
            docs += [r[k] for k in ("main_text", "comments_text") if isinstance(r.get(k), str) and r[k]]
rng = random.Random(7)
pieces = [" ", "  ", "\t", "\n", "\r\n", "\n\n\n", "   \n ", "\u00a0", "\u0085", "\u2028", "\u3000",
          "123", "4567890", "1,234.56", "٣٤٥", "²³", "Ⅻ", "'s", "'S", "'LL", "'ſ", "'Ve", "don't",
          "O'Neil's", "HELLO", "Hello", "hELLo", "ǅungla", "straße", "Straße", "İstanbul", "K", "Ωmega",
          "😀", "👍🏽", "👨‍👩‍👧", "🇫🇷", "中文字符", "日本語のテキスト", "한국어", "ไทย", "עברית", "العربية",
          "русский", "Ελληνικά", "हिन्दी", "e\u0301", "a\u0300\u0301", "\u200b", "\u200d", "\ufeff",
          "<|endoftext|>", "<|fim_prefix|>", "...", "!!!", "?!", "—", "–", "«»", "/", "//", "\\",
          "http://example.com/a?b=c", "foo@bar.com", "#hashtag", "$100", "€5", "£", "%", "_x_",
          "\x00", "\x01", "\x7f", "\ue000", "\U0010fffd", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ﬁ", "Ａｂｃ１２３",
          # Added tokens of the tokenizer.json styles (hf_tokenizer_json.py), and NFC's work.
          "<mask>", " <mask> ", "[[R]]", "[[R]]  ", "xyz", "axyz", "xyz_", "Stras\u0073e", "Stra\u00dfe",
          "<|begin_of_text|>", "<|eot_id|>", "<|im_start|>", "<|im_end|>", "</s>", "<s>", "<|end_of_text|>",
          "\n\n", "A\u030a", "\u212b", "\u1e9b\u0323", "\uac00\u11a8", "\u0915\u093c"]
for _ in range(3000):
    docs.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))))
for n in (1, 2, 3, 17, 100, 1000, 5000):
    docs += [" " * n, "\n" * n, " \n" * n, "x" + " " * n + "y", "9" * n, "a" * n]
with open(out, "w") as f:
    for i, t in enumerate(docs):
        f.write(json.dumps({"id": str(i), "text": t}) + "\n")
print(f"{len(docs)} documents", file=sys.stderr)
