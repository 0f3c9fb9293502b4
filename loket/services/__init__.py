"""Domain services: plain functions that views, jobs and the CLI all call."""
