"""Latency helpers shared by the plugin benchmarks."""

import json
import time


def measure(call, count, warmup=50):
    """Runs `call` warmup+count times; returns p50/p99/mean in microseconds as JSON."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(count):
        start = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - start) / 1000.0)
    samples.sort()
    return json.dumps(
        {
            "count": count,
            "p50_us": round(samples[len(samples) // 2], 1),
            "p99_us": round(samples[min(len(samples) - 1, (len(samples) * 99) // 100)], 1),
            "mean_us": round(sum(samples) / len(samples), 1),
        }
    )
