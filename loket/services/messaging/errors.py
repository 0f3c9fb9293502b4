"""Delivery errors, raised by whatever delivers an outbox row and handled by the outbox."""


class TransientError(Exception):
    """Delivery failed in a way that may succeed later (timeout, 5xx, 429)."""


class PermanentError(Exception):
    """Delivery can never succeed as it is (4xx): mark failed, do not retry."""
