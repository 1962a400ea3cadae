#include "winnow/io/part_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace winnow::io {

PartFile::PartFile(PartFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)), bytes_(other.bytes_) {}

PartFile& PartFile::operator=(PartFile&& other) noexcept {
  if (this != &other) {
    Abort();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    bytes_ = other.bytes_;
  }
  return *this;
}

Result<PartFile> PartFile::Create(std::string path) {
  PartFile f;
  std::string tmp = path + ".tmp";
  f.fd_ = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (f.fd_ < 0) {
    return Status::IOError("cannot create output file: " + tmp + ": " + std::strerror(errno));
  }
  f.path_ = std::move(path);
  return f;
}

Status PartFile::Append(std::string_view bytes) {
  WINNOW_CHECK(fd_ >= 0);
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("write failed: " + path_ + ".tmp@" + std::to_string(bytes_) + ": " +
                             std::strerror(errno));
    }
    bytes_ += static_cast<uint64_t>(n);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status PartFile::Commit(bool durable) {
  WINNOW_CHECK(fd_ >= 0);
  std::string tmp = path_ + ".tmp";
  if (durable && ::fdatasync(fd_) != 0) {
    return Status::IOError("flush failed: " + tmp + ": " + std::strerror(errno));
  }
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::IOError("close failed: " + tmp + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    return Status::IOError("rename failed: " + tmp + ": " + std::strerror(errno));
  }
  return Status::OK();
}

void PartFile::Abort() {
  if (fd_ < 0) return;
  ::close(std::exchange(fd_, -1));
  ::unlink((path_ + ".tmp").c_str());
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  WINNOW_ASSIGN_OR_RETURN(PartFile f, PartFile::Create(path));
  WINNOW_RETURN_IF_ERROR(f.Append(content));
  return f.Commit();
}

}  // namespace winnow::io
