#include "bench_heap.h"
#include <malloc.h>

struct bench_heap_usage bench_heap_usage(void) {
    struct mallinfo2 info = mallinfo2();
    struct bench_heap_usage usage = {
        .live_bytes = info.uordblks + info.hblkhd,
        .system_bytes = info.arena + info.hblkhd,
        .free_bytes = info.fordblks,
    };
    return usage;
}

int bench_heap_trim(void) {
    return malloc_trim(0);
}
