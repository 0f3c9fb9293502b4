"""Support requests: filing, queues, actions on a request, the status machine, routing, teamwork, service levels, satisfaction and categories."""
