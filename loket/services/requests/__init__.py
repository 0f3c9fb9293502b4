"""A support request's life: filing, queues, actions, status machine, routing, teamwork, service levels."""
