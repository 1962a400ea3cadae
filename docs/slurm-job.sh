#!/usr/bin/env bash
# A winnow job for Slurm (docs/slurm.md). Submit with:  sbatch docs/slurm-job.sh
# One rank per task; each rank runs --threads cpus-per-task. OUT must be on a filesystem
# every node sees (the ranks write their shards' parts into it; rank 0 writes stats.json).
#SBATCH --job-name=winnow
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=4
#SBATCH --cpus-per-task=8
#SBATCH --mem-per-cpu=2G
#SBATCH --time=24:00:00
#SBATCH --requeue
set -euo pipefail
WINNOW=winnow
PIPELINE=pipeline.yaml
OUT=out
# Debian's OpenMPI talks to Slurm through PMIx. --resume starts afresh when OUT has no
# checkpoint, and continues a run that was killed (node failure, preemption, time limit)
# where its ranks stopped, so a requeued job picks up its own work.
srun --mpi=pmix "$WINNOW" run "$PIPELINE" -o "$OUT" --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --memory-budget "$(( ${SLURM_CPUS_PER_TASK:-1} * 1536 ))M" --resume
