"""The GraphQL contract: strawberry types, inputs, errors and the assembled schema (build.py)."""
