#include "winnow/io/scratch_file.h"

#include <fcntl.h>
#include <unistd.h>
#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack
#include <xxhash.h>

#include <cerrno>
#include <cstring>

namespace winnow::io {
namespace {

constexpr std::string_view kMagic("winnow\n\0", 8);
constexpr std::string_view kTags[] = {"ckpt", "dcsn", "spil", "ids "};

std::string_view Tag(ScratchKind kind) { return kTags[static_cast<size_t>(kind)]; }

void PutU32(std::string& out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out.append(b, 4);
}
void PutU64(std::string& out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out.append(b, 8);
}
uint64_t GetU64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint64_t Hash(std::initializer_list<std::string_view> pieces) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  for (std::string_view p : pieces) XXH3_64bits_update(&state, p.data(), p.size());
  return XXH3_64bits_digest(&state);
}

std::string BlockHeader(std::initializer_list<std::string_view> pieces) {
  uint64_t size = 0;
  for (std::string_view p : pieces) size += p.size();
  std::string header;
  PutU64(header, size);
  PutU64(header, Hash(pieces));
  return header;
}

Status Truncated(std::string_view path, uint64_t at) {
  return Status::Corrupt(std::string(path) + ": truncated at byte " + std::to_string(at) +
                         "; start the run again with --overwrite");
}

// Reads n bytes at offset; *got tells how many there were (fewer only at the end).
Status ReadAt(int fd, uint64_t offset, size_t n, char* out, size_t* got, const std::string& path) {
  *got = 0;
  while (*got < n) {
    ssize_t r = ::pread(fd, out + *got, n - *got, static_cast<off_t>(offset + *got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("cannot read " + path + ": " + std::strerror(errno));
    }
    if (r == 0) break;
    *got += static_cast<size_t>(r);
  }
  return Status::OK();
}

}  // namespace

std::string ScratchHeader(ScratchKind kind, uint32_t version) {
  std::string h(kMagic);
  h += Tag(kind);
  PutU32(h, version);
  return h;
}

Status CheckScratchHeader(std::string_view header, ScratchKind kind, uint32_t version,
                          std::string_view path) {
  const std::string p(path);
  if (header.size() < kScratchHeaderBytes || header.substr(0, kMagic.size()) != kMagic) {
    return Status::Corrupt(p + ": not a winnow scratch file; start the run again with --overwrite");
  }
  if (header.substr(8, 4) != Tag(kind)) {
    return Status::Corrupt(p + ": holds '" + std::string(header.substr(8, 4)) + "', expected '" +
                           std::string(Tag(kind)) + "'; start the run again with --overwrite");
  }
  uint32_t v;
  std::memcpy(&v, header.data() + 12, 4);
  if (v != version) {
    return Status::Corrupt(p + ": format version " + std::to_string(v) + ", this winnow reads " +
                           std::to_string(version) +
                           " (written by another version); start the run again with --overwrite");
  }
  return Status::OK();
}

void AppendBlock(std::initializer_list<std::string_view> pieces, std::string& out) {
  out += BlockHeader(pieces);
  for (std::string_view p : pieces) out.append(p);
}

std::string EncodeScratchFile(ScratchKind kind, uint32_t version, std::string_view payload) {
  std::string out = ScratchHeader(kind, version);
  AppendBlock({payload}, out);
  return out;
}

Result<std::string_view> DecodeScratchFile(std::string_view bytes, ScratchKind kind,
                                           uint32_t version, std::string_view path) {
  WINNOW_RETURN_IF_ERROR(CheckScratchHeader(bytes, kind, version, path));
  BlockParser blocks(bytes.substr(kScratchHeaderBytes), path);
  std::string_view payload;
  WINNOW_ASSIGN_OR_RETURN(bool any, blocks.Next(&payload));
  if (!any) return Truncated(path, bytes.size());
  std::string_view extra;
  WINNOW_ASSIGN_OR_RETURN(bool more, blocks.Next(&extra));
  if (more) return Status::Corrupt(std::string(path) + ": trailing bytes after its content");
  return payload;
}

Result<bool> BlockParser::Next(std::string_view* payload) {
  if (offset_ == bytes_.size()) return false;
  const uint64_t at = kScratchHeaderBytes + offset_;
  if (bytes_.size() - offset_ < kBlockHeaderBytes) return Truncated(path_, at);
  const uint64_t size = GetU64(bytes_.data() + offset_);
  const uint64_t hash = GetU64(bytes_.data() + offset_ + 8);
  if (size > bytes_.size() - offset_ - kBlockHeaderBytes) return Truncated(path_, at);
  *payload = bytes_.substr(offset_ + kBlockHeaderBytes, size);
  if (Hash({*payload}) != hash) {
    return Status::Corrupt(std::string(path_) + ": damaged block at byte " + std::to_string(at) +
                           " (checksum mismatch); start the run again with --overwrite");
  }
  offset_ += kBlockHeaderBytes + size;
  return true;
}

Result<ScratchWriter> ScratchWriter::Create(std::string path, ScratchKind kind, uint32_t version) {
  ScratchWriter w;
  WINNOW_ASSIGN_OR_RETURN(w.file_, PartFile::Create(std::move(path)));
  WINNOW_RETURN_IF_ERROR(w.file_.Append(ScratchHeader(kind, version)));
  return w;
}

Status ScratchWriter::Append(std::initializer_list<std::string_view> pieces) {
  header_ = BlockHeader(pieces);
  WINNOW_RETURN_IF_ERROR(file_.Append(header_));
  for (std::string_view p : pieces) WINNOW_RETURN_IF_ERROR(file_.Append(p));
  return Status::OK();
}

Result<std::unique_ptr<ScratchReader>> ScratchReader::Open(const std::string& path,
                                                           ScratchKind kind, uint32_t version) {
  std::unique_ptr<ScratchReader> r(new ScratchReader());
  r->path_ = path;
  r->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (r->fd_ < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  const off_t end = ::lseek(r->fd_, 0, SEEK_END);
  if (end < 0) return Status::IOError("cannot size " + path + ": " + std::strerror(errno));
  r->size_ = static_cast<uint64_t>(end);
  char header[kScratchHeaderBytes];
  size_t got = 0;
  WINNOW_RETURN_IF_ERROR(ReadAt(r->fd_, 0, sizeof(header), header, &got, path));
  WINNOW_RETURN_IF_ERROR(CheckScratchHeader(std::string_view(header, got), kind, version, path));
  r->offset_ = kScratchHeaderBytes;
  return r;
}

ScratchReader::~ScratchReader() {
  if (fd_ >= 0) ::close(fd_);
}

Result<bool> ScratchReader::Next(std::string* payload) {
  if (offset_ >= size_) return false;
  char header[kBlockHeaderBytes];
  size_t got = 0;
  WINNOW_RETURN_IF_ERROR(ReadAt(fd_, offset_, sizeof(header), header, &got, path_));
  if (got != sizeof(header)) return Truncated(path_, offset_);
  const uint64_t size = GetU64(header), hash = GetU64(header + 8);
  if (size > size_ - offset_ - kBlockHeaderBytes) return Truncated(path_, offset_);
  payload->resize(size);
  WINNOW_RETURN_IF_ERROR(
      ReadAt(fd_, offset_ + kBlockHeaderBytes, size, payload->data(), &got, path_));
  if (got != size) return Truncated(path_, offset_);
  if (Hash({*payload}) != hash) {
    return Status::Corrupt(path_ + ": damaged block at byte " + std::to_string(offset_) +
                           " (checksum mismatch); start the run again with --overwrite");
  }
  offset_ += kBlockHeaderBytes + size;
  return true;
}

}  // namespace winnow::io
