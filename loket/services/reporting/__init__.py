"""Reporting: statistics about the use of the loketten (such as demand over time), not quality verdicts."""
