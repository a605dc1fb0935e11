"""Resource limits on GraphQL documents, checked before anything executes."""
