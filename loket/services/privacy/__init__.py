"""The AVG (GDPR) side of Loket: what is held about a person (`person`), handing it over (`export`), erasing a
person while the statistics stay (`erasure`), and the retention periods a nightly job applies (`retention`).
Every export, erasure and retention run is an entry in the audit log (`services.audit`)."""
