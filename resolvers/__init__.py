"""Thin glue between the GraphQL contract and the domain: arguments -> one unit of work ->
models -> schema types. DataLoaders batch what sibling fields ask for."""
