// MinHash: the kernel against a plain loop on every target, datatrove's permutation
// parameters and signatures on 1,649 real documents (../shared/reference/datatrove), and the
// native preset's estimate of the Jaccard similarity.
#include "winnow/dedup/minhash.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <random>

#include "testing/test_util.h"
#include "text/reference_data.h"
#include "winnow/dedup/minhash_kernel.h"

namespace winnow::dedup {
namespace {

using winnow::testing::DatatroveReferenceDir;
using winnow::testing::ReadDecoded;
using winnow::testing::SplitLines;

TEST(MinHashKernelTest, EqualsThePlainDefinition) {
  std::mt19937_64 rng(42);
  for (size_t n : {0, 1, 2, 7, 100, 1001}) {
    for (size_t k : {8, 16, 112, 120}) {
      std::vector<uint64_t> s(n), a(k), b(k), got(k), want(k);
      for (auto& x : s) x = rng();
      for (auto& x : a) x = rng() | 1;
      for (auto& x : b) x = rng();
      MinHashMersenne(s.data(), n, a.data(), b.data(), k, got.data());
      const uint64_t p = (uint64_t{1} << 61) - 1;
      for (size_t i = 0; i < k; ++i) {
        want[i] = UINT64_MAX;
        for (uint64_t x : s) want[i] = std::min(want[i], (x * a[i] + b[i]) % p);
      }
      EXPECT_EQ(got, want) << "mersenne n=" << n << " k=" << k;
      MinHashMultiplyAdd(s.data(), n, a.data(), b.data(), k, got.data());
      for (size_t i = 0; i < k; ++i) {
        want[i] = UINT64_MAX;
        for (uint64_t x : s) want[i] = std::min(want[i], x * a[i] + b[i]);
      }
      EXPECT_EQ(got, want) << "multiply-add n=" << n << " k=" << k;
    }
  }
  // The reduction's edge: values at and just above 2^61 - 1 and at 2^64 - 1.
  const uint64_t p = (uint64_t{1} << 61) - 1;
  std::vector<uint64_t> edge = {p - 1, p, p + 1, 2 * p, UINT64_MAX, 0};
  std::vector<uint64_t> one(8, 1), zero(8, 0), out(8);
  for (uint64_t x : edge) {
    MinHashMersenne(&x, 1, one.data(), zero.data(), 8, out.data());
    EXPECT_EQ(out[0], x % p) << x;
  }
}

TEST(MinHashDatatroveTest, PermutationParametersAreNumpys) {
  std::string dir = DatatroveReferenceDir();
  if (dir.empty())
    GTEST_SKIP() << "../shared/reference/datatrove is absent: reference test skipped";
  simdjson::dom::parser parser;
  std::string json = ReadDecoded(dir + "/minhash_params.json");
  simdjson::dom::element e = parser.parse(json);
  std::vector<uint64_t> want_a, want_b, a, b;
  for (uint64_t x : e["a"].get_array()) want_a.push_back(x);
  for (uint64_t x : e["b"].get_array()) want_b.push_back(x);
  ASSERT_EQ(want_a.size(), 112u);
  DatatrovePermutations(uint64_t(e["seed"]), want_a.size(), &a, &b);
  EXPECT_EQ(a, want_a);
  EXPECT_EQ(b, want_b);
}

TEST(MinHashDatatroveTest, SignaturesEqualDatatrovesOnReferenceDocuments) {
  std::string dir = DatatroveReferenceDir();
  if (dir.empty())
    GTEST_SKIP() << "../shared/reference/datatrove is absent: reference test skipped";
  std::vector<winnow::testing::ReferenceDoc> inputs = winnow::testing::LoadReferenceInputs();
  std::vector<std::string> expected = SplitLines(ReadDecoded(dir + "/minhash.jsonl.zst"));
  ASSERT_EQ(inputs.size(), expected.size());
  MinHashConfig config;
  config.preset = MinHashPreset::kDatatrove;
  auto hasher = MinHasher::Create(config);
  ASSERT_TRUE(hasher.ok());
  MinHashScratch scratch;
  simdjson::dom::parser parser;
  std::vector<uint64_t> sig(112), shingles;
  size_t differ = 0, nulls = 0;
  for (size_t d = 0; d < inputs.size(); ++d) {
    simdjson::dom::element e = parser.parse(expected[d]);
    ASSERT_EQ(std::string_view(e["id"]), inputs[d].id);
    (*hasher)->Shingles(inputs[d].text, scratch, &shingles);
    EXPECT_EQ(shingles.size(), uint64_t(e["n_shingles"])) << inputs[d].id;
    bool has = (*hasher)->Signature(inputs[d].text, scratch, sig.data());
    if (e["sig"].is_null()) {
      ++nulls;
      EXPECT_FALSE(has) << inputs[d].id;
      continue;
    }
    std::vector<uint64_t> want;
    for (simdjson::dom::array band : e["sig"].get_array()) {
      for (uint64_t x : band) want.push_back(x);
    }
    if (!has || sig != want) {
      ++differ;
      ADD_FAILURE() << inputs[d].id << ": signature differs from datatrove's";
    }
  }
  std::printf("minhash --preset datatrove: %zu/%zu signatures differ (%zu documents without one)\n",
              differ, inputs.size(), nulls);
}

// Two texts sharing a known share of their shingles: the native signature estimates the
// Jaccard similarity within the binomial error of 112 permutations.
TEST(MinHashNativeTest, EstimatesJaccard) {
  auto hasher = MinHasher::Create(MinHashConfig{});
  ASSERT_TRUE(hasher.ok());
  MinHashScratch scratch;
  std::mt19937_64 rng(7);
  double sum_sq = 0;
  int trials = 0;
  for (double target : {0.2, 0.5, 0.8, 0.95}) {
    for (int t = 0; t < 10; ++t) {
      // Words w0..w{m-1} distinct: texts A = words [0, m), B = words [d, m + d) share m - d
      // - 4 of their m - 4 shingles each.
      const int m = 400;
      int shift = 0;
      while (shift < m) {
        double j = double(m - 4 - shift) / double(m - 4 + shift);
        if (j <= target) break;
        ++shift;
      }
      std::string a, b;
      const uint64_t salt = rng();
      for (int i = 0; i < m + shift; ++i) {
        std::string w = "w";  // (built with append: GCC 12 warns falsely on "w" + string)
        w.append(std::to_string(salt % 100000)).append("x").append(std::to_string(i));
        if (i < m) a += w + " ";
        if (i >= shift) b += w + " ";
      }
      const double exact = double(m - 4 - shift) / double(m - 4 + shift);
      std::vector<uint64_t> sa(112), sb(112);
      ASSERT_TRUE((*hasher)->Signature(a, scratch, sa.data()));
      ASSERT_TRUE((*hasher)->Signature(b, scratch, sb.data()));
      const double est = EstimatedJaccard(sa.data(), sb.data(), 112);
      const double sd = std::sqrt(exact * (1 - exact) / 112);
      EXPECT_NEAR(est, exact, 4 * sd + 1e-9) << "target " << target;
      sum_sq += (est - exact) * (est - exact) / (sd * sd + 1e-12);
      ++trials;
    }
  }
  // Mean squared z-score near 1 for an unbiased estimator with the binomial variance.
  EXPECT_LT(sum_sq / trials, 2.0);
}

TEST(MinHashNativeTest, ShortAndEmptyTexts) {
  auto hasher = MinHasher::Create(MinHashConfig{});
  ASSERT_TRUE(hasher.ok());
  MinHashScratch scratch;
  std::vector<uint64_t> s1(112), s2(112);
  EXPECT_FALSE((*hasher)->Signature("", scratch, s1.data()));
  EXPECT_FALSE((*hasher)->Signature(" -- !! ", scratch, s1.data()));
  ASSERT_TRUE((*hasher)->Signature("Page not found", scratch, s1.data()));
  ASSERT_TRUE((*hasher)->Signature("PAGE   not-found!", scratch, s2.data()));
  EXPECT_EQ(s1, s2);  // the same three tokens after folding
  ASSERT_TRUE((*hasher)->Signature("Page found", scratch, s2.data()));
  EXPECT_NE(s1, s2);
}

TEST(MinHashConfigTest, RejectsBadShapes) {
  MinHashConfig c;
  c.bands = 0;
  EXPECT_FALSE(MinHasher::Create(c).ok());
  c.bands = 100;
  c.rows = 20;
  EXPECT_FALSE(MinHasher::Create(c).ok());
}

}  // namespace
}  // namespace winnow::dedup
