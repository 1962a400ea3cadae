// Ids files: the (ordinal, id) of every document a map pass handed to the global stages, one
// file per input shard, written by the pass's writer and read back by the group step, which
// names documents by id (duplicate_of, cluster files) without holding every id in memory.
//
// A scratch file (scratch_file.h, kind "ids ") of one block per batch; a block's payload is a
// run of records, u64 ordinal | u32 id length | id bytes, in ordinal order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::io {

inline constexpr uint32_t kIdsVersion = 1;

// Appends one record to a block's payload.
void AppendIdRecord(uint64_t ordinal, std::string_view id, std::string& payload);

// Calls fn(ordinal, id) for each record of a block's payload. Corrupt naming `path` when the
// payload does not decode; fn's error ends the walk.
Status ForEachIdRecord(std::string_view payload, std::string_view path,
                       const std::function<Status(uint64_t, std::string_view)>& fn);

// Calls fn for every record of the ids file at `path`, in order.
Status ReadIdFile(const std::string& path,
                  const std::function<Status(uint64_t, std::string_view)>& fn);

}  // namespace winnow::io
