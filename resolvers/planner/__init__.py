"""The planner for public reads: an anonymous query of the public catalogue is planned once per
document (resolvers/planner/plan.py), cached (cache.py), and run as one batch of SQL per planned
field with plain dict assembly (run.py) instead of graphql-core's per-field execution. What it
cannot plan or answer goes to the generic executor, which stays the reference: a test requires
byte-identical answers from both over generated documents."""
