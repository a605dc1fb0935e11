"""Changes pushed to clients as they commit: collected in the write transaction, announced to
subscribers (in process, or across processes by PostgreSQL NOTIFY) and to webhook endpoints."""
