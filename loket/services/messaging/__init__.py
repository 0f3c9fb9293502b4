"""Messages out and in: the outbox and its administration, notifications, mail rendering and sending, inbound."""
