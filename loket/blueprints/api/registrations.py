"""Club registrations over the API: registering (no token), confirming, and the loket's decisions."""
