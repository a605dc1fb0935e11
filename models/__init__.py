"""Craftway's domain: tables, rules and the operations on them.

Nothing here imports strawberry, starlette, `schema` or `resolvers`; a test keeps it so.
"""
