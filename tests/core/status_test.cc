#include "winnow/core/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace winnow {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Status Quarter(int x, int* out) {
  WINNOW_ASSIGN_OR_RETURN(int h, Half(x));
  WINNOW_ASSIGN_OR_RETURN(*out, Half(h));
  return Status::OK();
}

TEST(StatusTest, OkIsCheapAndPrintsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(s.message().empty());
}

TEST(StatusTest, CarriesCodeAndMessageThroughCopies) {
  Status s = Status::Corrupt("zstd: truncated stream: a.zst@10");
  Status copy = s;
  EXPECT_FALSE(copy.ok());
  EXPECT_EQ(copy.code(), StatusCode::kCorrupt);
  EXPECT_EQ(copy.message(), "zstd: truncated stream: a.zst@10");
  EXPECT_EQ(s.WithContext("read").message(), "read: zstd: truncated stream: a.zst@10");
}

TEST(ResultTest, ValueOrStatus) {
  Result<int> ok = Half(8);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 4);
  Result<int> bad = Half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "odd: 3");
}

TEST(ResultTest, MacrosPropagateTheFirstError) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Quarter(6, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd: 3");
}

TEST(ResultTest, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

}  // namespace
}  // namespace winnow
