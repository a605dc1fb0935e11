"""Read-side queries of the catalogue, shaped for batching (one statement per batch)."""
