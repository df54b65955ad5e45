// glibc malloc statistics for `bench soak` (Swift's Glibc module does not export <malloc.h>).
#pragma once
#include <stddef.h>

// What glibc malloc holds, summed over all its arenas (mallinfo2).
struct bench_heap_usage {
    // Bytes in chunks the program allocated and has not freed (including mmapped chunks).
    size_t live_bytes;
    // Bytes malloc took from the system: arenas (brk and mmapped heaps) plus mmapped chunks.
    size_t system_bytes;
    // Free bytes inside the arenas (taken from the system, not in use).
    size_t free_bytes;
};

// Reads the calling process's malloc statistics.
struct bench_heap_usage bench_heap_usage(void);

// Returns free memory at the top of, and whole free pages inside, every arena to the system
// (malloc_trim(0)). Returns 1 when any memory was released.
int bench_heap_trim(void);
