"""Webhooks: endpoints, their secrets, the outbox written with each change, and its delivery."""
