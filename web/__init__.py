"""The HTTP layer: the GraphQL view, response cache, guards, rate limits, feeds and health routes."""
