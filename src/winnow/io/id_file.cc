#include "winnow/io/id_file.h"

#include <cstring>

#include "winnow/io/scratch_file.h"

namespace winnow::io {

void AppendIdRecord(uint64_t ordinal, std::string_view id, std::string& payload) {
  const auto len = static_cast<uint32_t>(id.size());
  payload.append(reinterpret_cast<const char*>(&ordinal), sizeof(ordinal));
  payload.append(reinterpret_cast<const char*>(&len), sizeof(len));
  payload.append(id);
}

Status ForEachIdRecord(std::string_view payload, std::string_view path,
                       const std::function<Status(uint64_t, std::string_view)>& fn) {
  constexpr size_t kFixed = sizeof(uint64_t) + sizeof(uint32_t);
  while (!payload.empty()) {
    uint64_t ordinal;
    uint32_t len;
    if (payload.size() < kFixed) break;
    std::memcpy(&ordinal, payload.data(), sizeof(ordinal));
    std::memcpy(&len, payload.data() + sizeof(ordinal), sizeof(len));
    payload.remove_prefix(kFixed);
    if (len > payload.size()) break;
    WINNOW_RETURN_IF_ERROR(fn(ordinal, payload.substr(0, len)));
    payload.remove_prefix(len);
  }
  if (!payload.empty()) {
    return Status::Corrupt(std::string(path) + ": an id record does not decode");
  }
  return Status::OK();
}

Status ReadIdFile(const std::string& path,
                  const std::function<Status(uint64_t, std::string_view)>& fn) {
  WINNOW_ASSIGN_OR_RETURN(std::unique_ptr<ScratchReader> reader,
                          ScratchReader::Open(path, ScratchKind::kIds, kIdsVersion));
  std::string block;
  while (true) {
    WINNOW_ASSIGN_OR_RETURN(bool more, reader->Next(&block));
    if (!more) return Status::OK();
    WINNOW_RETURN_IF_ERROR(ForEachIdRecord(block, path, fn));
  }
}

}  // namespace winnow::io
