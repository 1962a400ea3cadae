#include "winnow/dedup/minhash_kernel.h"

// Highway compiles this file once per target (foreach_target.h re-includes it).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "winnow/dedup/minhash_kernel.cc"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace winnow::dedup::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;

// x mod (2^61 - 1) for any 64-bit x: 2^61 = 1 (mod p), so x = (x & p) + (x >> 61) (mod p),
// a value below p + 8 that one conditional subtraction (a min, as y - p wraps when y < p)
// brings below p.
template <class D, class V>
HWY_INLINE V ReduceMersenne61(D d, V x) {
  const V p = hn::Set(d, kMersenne61);
  const V y = hn::Add(hn::And(x, p), hn::ShiftRight<61>(x));
  return hn::Min(y, hn::Sub(y, p));
}

// Walks the shingles once per group of four permutation vectors, so each broadcast shingle
// feeds four independent multiply chains.
template <bool kMersenne>
void MinHashImpl(const uint64_t* HWY_RESTRICT shingles, size_t n, const uint64_t* HWY_RESTRICT a,
                 const uint64_t* HWY_RESTRICT b, size_t k, uint64_t* HWY_RESTRICT out) {
  const hn::ScalableTag<uint64_t> d;
  const size_t lanes = hn::Lanes(d);
  auto permute = [&](auto s, auto va, auto vb) {
    auto x = hn::Add(hn::Mul(s, va), vb);
    if constexpr (kMersenne) x = ReduceMersenne61(d, x);
    return x;
  };
  size_t i = 0;
  for (; i + 4 * lanes <= k; i += 4 * lanes) {
    const auto a0 = hn::LoadU(d, a + i), a1 = hn::LoadU(d, a + i + lanes);
    const auto a2 = hn::LoadU(d, a + i + 2 * lanes), a3 = hn::LoadU(d, a + i + 3 * lanes);
    const auto b0 = hn::LoadU(d, b + i), b1 = hn::LoadU(d, b + i + lanes);
    const auto b2 = hn::LoadU(d, b + i + 2 * lanes), b3 = hn::LoadU(d, b + i + 3 * lanes);
    auto m0 = hn::Set(d, ~uint64_t{0}), m1 = m0, m2 = m0, m3 = m0;
    for (size_t j = 0; j < n; ++j) {
      const auto s = hn::Set(d, shingles[j]);
      m0 = hn::Min(m0, permute(s, a0, b0));
      m1 = hn::Min(m1, permute(s, a1, b1));
      m2 = hn::Min(m2, permute(s, a2, b2));
      m3 = hn::Min(m3, permute(s, a3, b3));
    }
    hn::StoreU(m0, d, out + i);
    hn::StoreU(m1, d, out + i + lanes);
    hn::StoreU(m2, d, out + i + 2 * lanes);
    hn::StoreU(m3, d, out + i + 3 * lanes);
  }
  for (; i < k; i += lanes) {
    const auto va = hn::LoadU(d, a + i), vb = hn::LoadU(d, b + i);
    auto m = hn::Set(d, ~uint64_t{0});
    for (size_t j = 0; j < n; ++j) m = hn::Min(m, permute(hn::Set(d, shingles[j]), va, vb));
    hn::StoreU(m, d, out + i);
  }
}

void MinHashMersenneTarget(const uint64_t* shingles, size_t n, const uint64_t* a, const uint64_t* b,
                           size_t k, uint64_t* out) {
  MinHashImpl<true>(shingles, n, a, b, k, out);
}

void MinHashMultiplyAddTarget(const uint64_t* shingles, size_t n, const uint64_t* a,
                              const uint64_t* b, size_t k, uint64_t* out) {
  MinHashImpl<false>(shingles, n, a, b, k, out);
}

}  // namespace winnow::dedup::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace winnow::dedup {

HWY_EXPORT(MinHashMersenneTarget);
HWY_EXPORT(MinHashMultiplyAddTarget);

void MinHashMersenne(const uint64_t* shingles, size_t n, const uint64_t* a, const uint64_t* b,
                     size_t k, uint64_t* out) {
  HWY_DYNAMIC_DISPATCH(MinHashMersenneTarget)(shingles, n, a, b, k, out);
}

void MinHashMultiplyAdd(const uint64_t* shingles, size_t n, const uint64_t* a, const uint64_t* b,
                        size_t k, uint64_t* out) {
  HWY_DYNAMIC_DISPATCH(MinHashMultiplyAddTarget)(shingles, n, a, b, k, out);
}

}  // namespace winnow::dedup
#endif  // HWY_ONCE
