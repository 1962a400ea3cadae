#include "winnow/core/options.h"

#include <gtest/gtest.h>

#include "winnow/core/registry.h"

namespace winnow {
namespace {

const StageSpec kSpec{"demo",
                      "a stage for tests",
                      {{"count", "50", "an integer"},
                       {"ratio", "0.3", "a number"},
                       {"flag", "false", "a boolean"},
                       {"words", "[the, of]", "a list"}}};

OptionValue Scalar(std::string s) {
  OptionValue v;
  v.scalar = std::move(s);
  return v;
}

TEST(OptionsTest, DefaultsComeFromTheSpec) {
  Result<Options> o = Options::Make(kSpec, {});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o->Int("count"), 50);
  EXPECT_DOUBLE_EQ(*o->Double("ratio"), 0.3);
  EXPECT_FALSE(*o->Bool("flag"));
  EXPECT_EQ(*o->StringList("words"), (std::vector<std::string>{"the", "of"}));
}

TEST(OptionsTest, GivenValuesOverrideAndAreTyped) {
  Result<Options> o = Options::Make(
      kSpec, {{"count", Scalar("7")}, {"ratio", Scalar("1e-2")}, {"flag", Scalar("yes")}});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o->Int("count"), 7);
  EXPECT_DOUBLE_EQ(*o->Double("ratio"), 0.01);
  EXPECT_TRUE(*o->Bool("flag"));
}

TEST(OptionsTest, UnknownKeysAreRejectedWithTheKnownOnes) {
  Result<Options> o = Options::Make(kSpec, {{"cuont", Scalar("7")}});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(o.status().message().find("unknown option 'cuont'"), std::string_view::npos);
  EXPECT_NE(o.status().message().find("count, ratio, flag, words"), std::string_view::npos);
}

TEST(OptionsTest, BadValuesNameTheOption) {
  Result<Options> o = Options::Make(kSpec, {{"count", Scalar("many")}, {"ratio", Scalar("0.5x")}});
  ASSERT_TRUE(o.ok());
  Result<int64_t> c = o->Int("count");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "demo: option count: expected an integer, got 'many'");
  EXPECT_FALSE(o->Double("ratio").ok());
}

TEST(RegistryTest, CreatesByNameAndListsKnownStagesOnTypos) {
  StageRegistry r;
  r.Register(kSpec, [](const Options&) -> Result<std::unique_ptr<Stage>> {
    return Status::Unimplemented("not needed");
  });
  ASSERT_NE(r.Find("demo"), nullptr);
  Result<std::unique_ptr<Stage>> s = r.Create("dmeo", {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "unknown stage 'dmeo' (known: demo)");
}

}  // namespace
}  // namespace winnow
