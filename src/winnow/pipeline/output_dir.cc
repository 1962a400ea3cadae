#include "winnow/pipeline/output_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "winnow/io/part_file.h"

namespace winnow::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kOwned[] = {"kept",       "removed",     "rejected",
                                       "stats.json", "report.html", ".winnow-work"};
constexpr std::string_view kParts[] = {"kept", "removed", "rejected"};
constexpr std::string_view kCheckpoint = ".winnow-checkpoint";

// The world sizes of the checkpoints in `out` (1 for a single process's).
std::set<int> CheckpointWorlds(const fs::path& out) {
  std::set<int> worlds;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == kCheckpoint) worlds.insert(1);
    const size_t of = name.rfind("-of-");
    if (name.starts_with(std::string(kCheckpoint) + ".rank-") && of != std::string::npos) {
      worlds.insert(std::atoi(name.c_str() + of + 4));
    }
  }
  return worlds;
}

std::string Numbered(std::string_view prefix, uint32_t shard) {
  char name[64];
  std::snprintf(name, sizeof(name), "%.*s-%05u.bin", static_cast<int>(prefix.size()), prefix.data(),
                shard);
  return name;
}

}  // namespace

OutputDirectory::OutputDirectory(std::string root, int rank, int ranks)
    : root_(std::move(root)), rank_(rank), ranks_(ranks) {}

OutputDirectory::~OutputDirectory() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Status OutputDirectory::Lock() {
  if (root_.empty()) return Status::InvalidArgument("no output directory (-o OUT)");
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) return Status::IOError("cannot create output directory: " + root_ + ": " + ec.message());
  lock_fd_ = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_fd_ < 0) return Status::IOError("cannot open output directory " + root_);
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status::InvalidArgument("another winnow run is writing " + root_ +
                                   " (wait for it to end, or stop it)");
  }
  return Status::OK();
}

Status OutputDirectory::StartAfresh(bool overwrite) {
  const fs::path out(root_);
  bool has_run = HasCheckpoint();
  for (std::string_view name : kOwned) has_run |= fs::exists(out / name);
  if (has_run && !overwrite) {
    return Status::InvalidArgument("output directory already holds a run: " + root_ +
                                   " (pass --overwrite to replace it, or --resume to continue "
                                   "it)");
  }
  return Clear();
}

Status OutputDirectory::Clear() {
  const fs::path out(root_);
  std::error_code ec;
  for (std::string_view name : kOwned) {
    fs::remove_all(out / name, ec);
    if (ec) return Status::IOError("cannot clear " + (out / name).string() + ": " + ec.message());
  }
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    if (entry.path().filename().string().starts_with(kCheckpoint)) fs::remove(entry.path(), ec);
  }
  for (std::string_view dir : kParts) {
    fs::create_directories(out / dir, ec);
    if (ec) return Status::IOError("cannot create " + (out / dir).string() + ": " + ec.message());
  }
  return Status::OK();
}

Status OutputDirectory::RemoveTemporaryParts() {
  const fs::path out(root_);
  std::error_code ec;
  for (std::string_view dir : kParts) {
    fs::create_directories(out / dir, ec);
    if (ec) return Status::IOError("cannot create " + (out / dir).string() + ": " + ec.message());
    for (const auto& entry : fs::directory_iterator(out / dir, ec)) {
      if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
    }
  }
  return Status::OK();
}

bool OutputDirectory::HasCheckpoint() const { return !CheckpointWorlds(root_).empty(); }

Status OutputDirectory::CheckResumeWorld(int world) const {
  for (int w : CheckpointWorlds(root_)) {
    if (w != world) {
      return Status::InvalidArgument(
          "cannot resume the run in " + root_ + ": it was started with " + std::to_string(w) +
          (w == 1 ? " process" : " ranks") + " and this is " + std::to_string(world) +
          "; resume it with " + std::to_string(w) +
          " (the shards' assignment depends on it), or start again with --overwrite");
    }
  }
  return Status::OK();
}

std::string OutputDirectory::RankSuffix() const {
  if (ranks_ <= 1) return "";
  return ".rank-" + std::to_string(rank_) + "-of-" + std::to_string(ranks_);
}

std::string OutputDirectory::work_dir() const {
  return (fs::path(root_) / ".winnow-work").string();
}

std::string OutputDirectory::PassDir(size_t pass) const {
  return (fs::path(work_dir()) / ("pass-" + std::to_string(pass + 1))).string();
}

std::string OutputDirectory::SpillPath(size_t pass, uint32_t shard) const {
  return (fs::path(PassDir(pass)) / Numbered("spill", shard)).string();
}

std::string OutputDirectory::IdsPath(size_t pass, uint32_t shard) const {
  return (fs::path(PassDir(pass)) / Numbered("ids", shard)).string();
}

std::string OutputDirectory::DecisionsPath(size_t stage) const {
  return (fs::path(work_dir()) / ("decisions-" + std::to_string(stage + 1) + RankSuffix() + ".bin"))
      .string();
}

std::string OutputDirectory::StageWorkDir(size_t stage, std::string_view stage_name) const {
  return (fs::path(work_dir()) /
          ("stage-" + std::to_string(stage + 1) + "-" + std::string(stage_name) + RankSuffix()))
      .string();
}

std::string OutputDirectory::CheckpointPath() const {
  return (fs::path(root_) / (std::string(kCheckpoint) + RankSuffix())).string();
}

std::string OutputDirectory::PartPath(std::string_view kind, std::string_view name) const {
  return (fs::path(root_) / kind / name).string();
}

Status OutputDirectory::Publish(std::string_view name, std::string_view content) const {
  return io::WriteFileAtomically((fs::path(root_) / name).string(), content);
}

}  // namespace winnow::pipeline
