"""Local stand-ins for external services (SendGrid), used by the outbox, notification and worker tests."""
