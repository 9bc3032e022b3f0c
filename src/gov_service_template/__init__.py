"""Tools for the Gov Service Template: vendoring, fleet updates and benchmarks."""
