"""Earlier implementations kept for comparison in the benchmarks."""
