"""Background jobs (RQ) and the worker entry point."""
