// CPU affinity for the benchmarks (sched_*affinity need _GNU_SOURCE, which Swift's Glibc module lacks).
#pragma once
#include <sys/types.h>

// The number of CPUs the calling thread may run on (1 when it cannot be read).
int bench_allowed_cpu_count(void);
// Pins thread `tid` (0: the calling thread) to `cpu`. Returns 0, or an errno value.
int bench_pin_thread(pid_t tid, int cpu);
