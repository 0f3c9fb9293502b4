"""Public directory endpoints (no token): gemeenten and their loket's public details."""
