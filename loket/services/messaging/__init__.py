"""Messages in and out: the transactional outbox and its administration, notifications (who is told what), mail rendering and sending, and inbound mail."""
