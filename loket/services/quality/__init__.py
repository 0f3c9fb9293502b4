"""Quality: versioned national criteria, measurements per loket, audits, and the national overview."""
