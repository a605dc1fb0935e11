"""GraphQL object types, one concept per module."""
