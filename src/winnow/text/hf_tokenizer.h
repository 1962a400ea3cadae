// Hugging Face `tokenizer.json` files of byte-level BPE models (GPT-2, Llama 3, Qwen 2, Mistral
// Nemo, DeepSeek style), read into a BpeDefinition (bpe.h) that encodes as the tokenizers
// library does: the same ids for every input.
//
// What is read:
//   model          BPE: vocab (token -> id, in GPT-2's byte-to-character alphabet), merges
//                  ("a b" strings or ["a", "b"] pairs, in priority order), ignore_merges
//   pre_tokenizer  ByteLevel (add_prefix_space, use_regex: GPT-2's pattern), Split (a Regex or
//                  String pattern, behavior Isolated), and Sequences of them, ByteLevel last
//   normalizer     none or NFC (alone or in a Sequence)
//   added_tokens   every one (special or not) is matched in the text, leftmost-longest, with
//                  its single_word, lstrip, rstrip and normalized flags
// The post-processor (BOS/EOS templates) and decoder are not: winnow adds BOS/EOS itself
// (--bos/--eos). Anything else (a WordPiece or Unigram model, a Metaspace pre-tokenizer, BPE
// dropout, a lowercasing normalizer) is refused with InvalidArgument naming it: SentencePiece
// style tokenizers are read from their `.model` file (sentencepiece_encoder.h).
//
// The end-of-text token ("auto" for --eos) comes from the `eos_token` of a
// tokenizer_config.json beside the file, as transformers reads it, else from the added tokens
// ("<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>", in that order).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/status.h"
#include "winnow/text/bpe.h"

namespace winnow::text {

// `json`: a tokenizer.json's contents; `name` names the tokenizer in messages.
Result<BpeDefinition> ParseHfTokenizer(std::string_view json, std::string name);

// Reads `path` (and the tokenizer_config.json beside it, if any). NotFound / IOError for the
// file, InvalidArgument (prefixed with the path) for what it holds.
Result<std::unique_ptr<BytePairEncoder>> LoadHfTokenizer(const std::string& path);

}  // namespace winnow::text
