// Helpers shared by winnow's tests: temporary directories, files, compressed fixtures.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::testing {

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, std::string_view bytes);
std::string ReadRaw(const std::string& path);
// Reads a file, decompressing .gz/.zst by magic bytes.
std::string ReadDecoded(const std::string& path);
std::vector<std::string> SplitLines(std::string_view text);

std::string Gzip(std::string_view bytes);                 // one gzip member (zlib)
std::string Zstd(std::string_view bytes, int level = 3);  // one zstd frame
std::string Lz4Frame(std::string_view bytes);             // one LZ4 frame
// Writes one zstd frame of the concatenation of the pieces `next` returns until it returns an
// empty one, streaming: gigabytes of input never sit in memory.
void WriteZstdStream(const std::string& path, const std::function<std::string_view()>& next);

// The shared third-party data directory (../shared/data next to the repository), or "" when
// it is absent: tests that need it call GTEST_SKIP() with a message.
std::string SharedDataDir();

// The built winnow binary.
std::string WinnowBinary();

// Runs a shell command; returns its exit code and captures stdout+stderr into *output.
int RunCommand(const std::string& command, std::string* output = nullptr);

}  // namespace winnow::testing
