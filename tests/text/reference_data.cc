#include "text/reference_data.h"

#include <simdjson.h>

#include <filesystem>

#include "testing/test_util.h"

namespace winnow::testing {

std::string DatatroveReferenceDir() {
  std::string data = SharedDataDir();
  if (data.empty()) return "";
  std::string dir = data + "/../reference/datatrove";
  return std::filesystem::is_directory(dir) ? dir : "";
}

std::vector<ReferenceDoc> LoadReferenceInputs() {
  std::vector<ReferenceDoc> docs;
  simdjson::dom::parser parser;
  for (const std::string& line :
       SplitLines(ReadDecoded(DatatroveReferenceDir() + "/input.jsonl.zst"))) {
    simdjson::dom::element e = parser.parse(line);
    docs.push_back(
        {std::string(std::string_view(e["id"])), std::string(std::string_view(e["text"]))});
  }
  return docs;
}

}  // namespace winnow::testing
