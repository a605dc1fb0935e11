"""Planned fields compiled to one SQL statement that builds their JSON in the database
(PostgreSQL's json_build_object and json_agg, SQLite's json_object and json_group_array, and
correlated subqueries), the way PostGraphile answers: a root field whose whole selection has SQL
here is one round trip and no Python objects. A root field with anything not written here is run
by resolvers/planner/run.py instead; the planner equality test holds both to byte-identical
answers against the generic executor, on both databases."""
