"""Writes a Hugging Face tokenizer.json from a tiktoken rank file, in the style of a known
model family, for tests: the vocabulary in GPT-2's byte-to-character alphabet, merges derived
from the ranks as transformers' TikTokenConverter derives them, and the family's pre-tokenizer,
normalizer and added tokens.

    hf_tokenizer_json.py STYLE RANKS.tiktoken OUT.json

STYLE: gpt2 (ByteLevel with its regex, "a b" merges), llama3 (cl100k split, ignore_merges,
256 special tokens), qwen2 (single-digit cl100k split, NFC, chat tokens), nemo (single-digit
o200k split, ignore_merges), roberta (a String split, ByteLevel with add_prefix_space, added
tokens with lstrip, rstrip, single_word and normalized).
"""

import base64
import json
import sys

R50K = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
CL100K = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
O200K = (r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
         r"""|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"""
         r"""|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+""")


def byte_alphabet():
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    chars, n = {}, 0
    for b in range(256):
        if b in printable:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + n)
            n += 1
    return chars


def main():
    style, ranks_path, out_path = sys.argv[1:4]
    ranks = {}
    with open(ranks_path, "rb") as f:
        for line in f:
            if line.strip():
                token, rank = line.split()
                ranks[base64.b64decode(token)] = int(rank)
    alphabet = byte_alphabet()
    text = lambda b: "".join(alphabet[x] for x in b)
    vocab = {text(b): r for b, r in ranks.items()}
    merges = []
    for token, rank in ranks.items():
        if len(token) == 1:
            continue
        local = [(token[:i], token[i:]) for i in range(1, len(token))
                 if token[:i] in ranks and token[i:] in ranks]
        local.sort(key=lambda m: (ranks[m[0]], ranks[m[1]]))
        merges += [(rank, l, r) for l, r in local]
    merges.sort(key=lambda m: m[0])
    merges = [[text(l), text(r)] for _, l, r in merges]
    first_free = max(ranks.values()) + 1

    def added(content, id, special=True, normalized=False, lstrip=False, rstrip=False,
              single_word=False):
        return {"id": id, "content": content, "single_word": single_word, "lstrip": lstrip,
                "rstrip": rstrip, "normalized": normalized, "special": special}

    def byte_level(prefix=False, regex=False):
        return {"type": "ByteLevel", "add_prefix_space": prefix, "trim_offsets": True,
                "use_regex": regex}

    def split(pattern, kind="Regex"):
        return {"type": "Split", "pattern": {kind: pattern}, "behavior": "Isolated",
                "invert": False}

    normalizer, ignore_merges, added_tokens = None, False, []
    if style == "gpt2":
        pre = byte_level(regex=True)
        merges = [f"{l} {r}" for l, r in merges]
        added_tokens = [added("<|endoftext|>", 50256, normalized=True)]
    elif style == "llama3":
        pre = {"type": "Sequence", "pretokenizers": [split(CL100K), byte_level()]}
        ignore_merges = True
        names = ["<|begin_of_text|>", "<|end_of_text|>"] + \
            [f"<|reserved_special_token_{i}|>" for i in range(4)] + \
            ["<|start_header_id|>", "<|end_header_id|>", "<|reserved_special_token_4|>", "<|eot_id|>"] + \
            [f"<|reserved_special_token_{i}|>" for i in range(5, 251)]
        added_tokens = [added(n, first_free + i) for i, n in enumerate(names)]
    elif style == "qwen2":
        normalizer = {"type": "NFC"}
        pre = {"type": "Sequence",
               "pretokenizers": [split(CL100K.replace(r"\p{N}{1,3}", r"\p{N}")), byte_level()]}
        added_tokens = [added(n, first_free + i)
                        for i, n in enumerate(["<|endoftext|>", "<|im_start|>", "<|im_end|>"])]
    elif style == "nemo":
        pre = {"type": "Sequence",
               "pretokenizers": [split(O200K.replace(r"\p{N}{1,3}", r"\p{N}")), byte_level()]}
        ignore_merges = True
        added_tokens = [added(n, first_free + i) for i, n in enumerate(["<unk>", "<s>", "</s>"])]
    elif style == "roberta":
        first_free = 50257
        pre = {"type": "Sequence", "pretokenizers": [split("\n\n", "String"),
                                                     byte_level(prefix=True, regex=True)]}
        added_tokens = [added("<|endoftext|>", 50256),
                        added("<mask>", first_free, lstrip=True),
                        added("[[R]]", first_free + 1, rstrip=True),
                        added("xyz", first_free + 2, special=False, normalized=True, single_word=True),
                        added("Straße", first_free + 3, special=False, normalized=True)]
    else:
        sys.exit(f"unknown style {style}")
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added_tokens,
        "normalizer": normalizer, "pre_tokenizer": pre, "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None, "end_of_word_suffix": None, "fuse_unk": False,
                  "byte_fallback": False, "ignore_merges": ignore_merges, "vocab": vocab,
                  "merges": merges},
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
