#include "winnow/dist/world.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#ifdef WINNOW_HAVE_MPI
#include <mpi.h>
#endif

namespace winnow::dist {

bool Launched() {
  // PMIx: mpirun (OpenMPI 4) and srun --mpi=pmix; OMPI_COMM_WORLD_SIZE: mpirun alone.
  for (const char* name : {"PMIX_RANK", "OMPI_COMM_WORLD_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

#ifdef WINNOW_HAVE_MPI

bool Available() { return true; }

namespace {

Status MpiError(const char* what, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return Status::IOError(std::string("MPI ") + what + ": " +
                         std::string(text, static_cast<size_t>(length)));
}

class MpiWorld final : public Exchange {
 public:
  MpiWorld() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiWorld() override { MPI_Finalize(); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

 protected:
  // MPI counts are ints: sizes go first as 64-bit numbers, then the bytes in rounds of at most
  // kRound per pair of ranks, so any message size works.
  Result<std::vector<std::string>> Transfer(std::vector<std::string> out) override {
    const auto n = static_cast<size_t>(size_);
    if (out.size() != n) return Status::Internal("AllToAll: one message per rank expected");
    std::vector<uint64_t> send_sizes(n), recv_sizes(n);
    for (size_t r = 0; r < n; ++r) send_sizes[r] = out[r].size();
    int rc = MPI_Alltoall(send_sizes.data(), 1, MPI_UINT64_T, recv_sizes.data(), 1, MPI_UINT64_T,
                          MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) return MpiError("Alltoall", rc);
    std::vector<std::string> in(n);
    uint64_t longest = 0;
    for (size_t r = 0; r < n; ++r) {
      in[r].resize(recv_sizes[r]);
      longest = std::max({longest, send_sizes[r], recv_sizes[r]});
    }
    const uint64_t round = std::max<uint64_t>(1, std::min<uint64_t>(kRound, (INT32_MAX / 2) / n));
    uint64_t rounds = (longest + round - 1) / round;
    rc = MPI_Allreduce(MPI_IN_PLACE, &rounds, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) return MpiError("Allreduce", rc);
    std::vector<int> send_counts(n), send_displs(n), recv_counts(n), recv_displs(n);
    std::string send_buffer, recv_buffer;
    for (uint64_t k = 0; k < rounds; ++k) {
      const uint64_t from = k * round;
      send_buffer.clear();
      int total_in = 0;
      for (size_t r = 0; r < n; ++r) {
        const uint64_t s = out[r].size() > from ? std::min(round, out[r].size() - from) : 0;
        send_displs[r] = static_cast<int>(send_buffer.size());
        send_counts[r] = static_cast<int>(s);
        send_buffer.append(out[r], from, s);
        const uint64_t t = recv_sizes[r] > from ? std::min(round, recv_sizes[r] - from) : 0;
        recv_displs[r] = total_in;
        recv_counts[r] = static_cast<int>(t);
        total_in += static_cast<int>(t);
      }
      recv_buffer.resize(static_cast<size_t>(total_in));
      rc = MPI_Alltoallv(send_buffer.data(), send_counts.data(), send_displs.data(), MPI_BYTE,
                         recv_buffer.data(), recv_counts.data(), recv_displs.data(), MPI_BYTE,
                         MPI_COMM_WORLD);
      if (rc != MPI_SUCCESS) return MpiError("Alltoallv", rc);
      for (size_t r = 0; r < n; ++r) {
        if (recv_counts[r] > 0) {
          in[r].replace(from, static_cast<size_t>(recv_counts[r]), recv_buffer,
                        static_cast<size_t>(recv_displs[r]), static_cast<size_t>(recv_counts[r]));
        }
      }
    }
    return in;
  }

 public:
  [[noreturn]] void Abandon(const Status& status) override {
    std::fprintf(stderr, "winnow: rank %d of %d failed, ending the job: %s\n", rank_, size_,
                 status.ToString().c_str());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
    std::_Exit(1);
  }

 private:
  static constexpr uint64_t kRound = uint64_t{256} << 20;
  int rank_ = 0, size_ = 1;
};

}  // namespace

Result<std::unique_ptr<Exchange>> JoinWorld() {
  if (!Launched()) return std::unique_ptr<Exchange>();
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    // Only the calling thread talks to MPI (the executor's collectives run between passes).
    int rc = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    if (rc != MPI_SUCCESS) return MpiError("Init", rc);
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  return std::unique_ptr<Exchange>(new MpiWorld());
}

#else  // !WINNOW_HAVE_MPI

bool Available() { return false; }

Result<std::unique_ptr<Exchange>> JoinWorld() {
  if (Launched()) {
    return Status::Unimplemented(
        "started by an MPI launcher, but this winnow was built without "
        "MPI (install libopenmpi-dev and build again)");
  }
  return std::unique_ptr<Exchange>();
}

#endif

}  // namespace winnow::dist
