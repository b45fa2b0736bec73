"""The workloads W1–W5; each function runs in an engine's own subprocess."""
