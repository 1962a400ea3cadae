#include "testing/test_util.h"

#include <lz4frame.h>
#include <sys/wait.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "winnow/io/byte_source.h"

namespace winnow::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "winnow-test-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

std::string ReadRaw(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string ReadDecoded(const std::string& path) {
  Result<std::string> r = io::ReadFileFully(path);
  if (!r.ok()) throw std::runtime_error(r.status().ToString());
  return *r;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string Gzip(std::string_view bytes) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, bytes.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Lz4Frame(std::string_view bytes) {
  std::string out(LZ4F_compressFrameBound(bytes.size(), nullptr), '\0');
  size_t n = LZ4F_compressFrame(out.data(), out.size(), bytes.data(), bytes.size(), nullptr);
  out.resize(LZ4F_isError(n) ? 0 : n);
  return out;
}

std::string Zstd(std::string_view bytes, int level) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), level);
  out.resize(n);
  return out;
}

void WriteZstdStream(const std::string& path, const std::function<std::string_view()>& next) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
  FILE* f = std::fopen(path.c_str(), "wb");
  std::string out(ZSTD_CStreamOutSize(), '\0');
  auto drain = [&](ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
    size_t left;
    do {
      ZSTD_outBuffer o{out.data(), out.size(), 0};
      left = ZSTD_compressStream2(cctx, &o, &in, mode);
      std::fwrite(out.data(), 1, o.pos, f);
    } while (mode == ZSTD_e_end ? left != 0 : in.pos < in.size);
  };
  for (std::string_view piece = next(); !piece.empty(); piece = next()) {
    ZSTD_inBuffer in{piece.data(), piece.size(), 0};
    drain(in, ZSTD_e_continue);
  }
  ZSTD_inBuffer end{nullptr, 0, 0};
  drain(end, ZSTD_e_end);
  std::fclose(f);
  ZSTD_freeCCtx(cctx);
}

std::string SharedDataDir() {
  std::string dir = WINNOW_SHARED_DATA;
  return std::filesystem::is_directory(dir) ? dir : "";
}

std::string WinnowBinary() { return WINNOW_BINARY; }

int RunCommand(const std::string& command, std::string* output) {
  std::string cmd = command + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  if (output != nullptr) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace winnow::testing
