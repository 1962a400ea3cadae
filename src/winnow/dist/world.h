// The MPI world of a run: the only code in winnow that includes mpi.h.
//
// `winnow run` and `winnow clean` call JoinWorld(). Started by a launcher (mpirun, or srun
// --mpi=pmix, which set PMIX_RANK), a binary built with MPI joins the world and returns its
// Exchange; otherwise it returns null and the run is a world of one that makes no MPI call at
// all (MPI_Init without a launcher would fork a singleton daemon and cost ~0.3 s).
#pragma once

#include <memory>

#include "winnow/core/exchange.h"
#include "winnow/core/status.h"

namespace winnow::dist {

// True when a launcher started this process as one of several ranks.
bool Launched();

// Whether this binary was built with MPI.
bool Available();

// The world, or null for a world of one. The returned object calls MPI_Finalize when
// destroyed. Unimplemented when launched by mpirun or srun but built without MPI.
Result<std::unique_ptr<Exchange>> JoinWorld();

}  // namespace winnow::dist
