// The MinHash inner loop: the minimum of k hash permutations over a set of 64-bit shingle
// hashes. A pure kernel (arrays in, array out, no state), SIMD with Highway, dispatched at run
// time to the best instruction set of the machine (AVX-512, AVX2, SSE4 or scalar), so one
// binary is portable and fast. Every target gives identical results.
#pragma once

#include <cstddef>
#include <cstdint>

namespace winnow::dedup {

// Permutation counts must be padded to a multiple of this (parameters and output).
inline constexpr size_t kMinHashLanePad = 8;

// out[i] = min over shingles s of ((s * a[i] + b[i]) mod 2^64) mod (2^61 - 1): datatrove's
// permutations (numpy uint64 arithmetic). `k` is a multiple of kMinHashLanePad. With n == 0,
// every out[i] is UINT64_MAX.
void MinHashMersenne(const uint64_t* shingles, size_t n, const uint64_t* a, const uint64_t* b,
                     size_t k, uint64_t* out);

// out[i] = min over shingles s of (s * a[i] + b[i]) mod 2^64, with odd a[i]: a bijection of
// 64-bit values per permutation, cheaper than the Mersenne reduction (the shingle hashes are
// already uniformly random). Same contract as MinHashMersenne.
void MinHashMultiplyAdd(const uint64_t* shingles, size_t n, const uint64_t* a, const uint64_t* b,
                        size_t k, uint64_t* out);

}  // namespace winnow::dedup
