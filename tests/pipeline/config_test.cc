#include "winnow/pipeline/config.h"

#include <gtest/gtest.h>

#include "winnow/pipeline/builtin_stages.h"

namespace winnow::pipeline {
namespace {

TEST(ConfigTest, ParsesEveryKey) {
  Result<RunConfig> c = ParseConfig(R"(
inputs: [a.jsonl, dir/]
output: out
threads: 3
on_error: fail
reader: {batch_bytes: 1000, max_record_bytes: 2000}
writer: {compression: none, level: 5}
stages:
  - length: {min_words: 10, max_words: 20}
  - exact
)",
                                    "t.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->inputs, (std::vector<std::string>{"a.jsonl", "dir/"}));
  EXPECT_EQ(c->output, "out");
  EXPECT_EQ(c->threads, 3);
  EXPECT_EQ(c->on_error, OnError::kFail);
  EXPECT_EQ(c->reader.batch_bytes, 1000u);
  EXPECT_EQ(c->reader.max_record_bytes, 2000u);
  EXPECT_FALSE(c->compress);
  EXPECT_EQ(c->compression_level, 5);
  ASSERT_EQ(c->stages.size(), 2u);
  EXPECT_EQ(c->stages[0].name, "length");
  EXPECT_EQ(c->stages[0].options.at("min_words").scalar, "10");
  EXPECT_EQ(c->stages[1].name, "exact");
  EXPECT_TRUE(c->stages[1].options.empty());
}

TEST(ConfigTest, ErrorsNameTheFileAndLine) {
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"threads: 2\nbogus: 1\n", "t.yaml:2: unknown key 'bogus'"},
      {"on_error: maybe\n", "t.yaml:1: on_error: expected skip or fail"},
      {"stages:\n  - [a, b]\n", "t.yaml:2: stages[0]: expected a stage name"},
      {"reader: {batch_bytes: -1}\n", "expected a positive size"},
      {"writer: {level: 40}\n", "writer.level: expected 1..19"},
      {"stages: [\n", "t.yaml:"},
  };
  for (const Case& c : cases) {
    Result<RunConfig> r = ParseConfig(c.yaml, "t.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.message), std::string_view::npos)
        << c.yaml << " -> " << r.status().ToString();
  }
}

TEST(ConfigTest, DefaultsRoundTripThroughYamlAndCreateEveryStage) {
  const StageRegistry& registry = BuiltinStages();
  std::string yaml = DefaultConfigYaml(registry);
  EXPECT_NE(yaml.find("# Drops documents with too few"), std::string::npos);
  Result<RunConfig> c = ParseConfig(yaml, "defaults");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_FALSE(c->stages.empty());
  for (const StageConfig& s : c->stages) {
    Result<std::unique_ptr<Stage>> stage = registry.Create(s.name, s.options);
    EXPECT_TRUE(stage.ok()) << s.name << ": " << stage.status().ToString();
  }
  // Every registered option appears in the defaults, so users see all of them.
  for (const auto& entry : registry.entries()) {
    for (const OptionSpec& o : entry->spec.options) {
      EXPECT_NE(yaml.find(std::string(o.name) + ":"), std::string::npos) << o.name;
    }
  }
}

TEST(ConfigTest, UnknownStageOrOptionFailsAtCreation) {
  const StageRegistry& registry = BuiltinStages();
  EXPECT_EQ(registry.Create("gopher", {}).status().code(), StatusCode::kInvalidArgument);
  OptionValue v;
  v.scalar = "3";
  EXPECT_EQ(registry.Create("length", {{"min_wrods", v}}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace winnow::pipeline
