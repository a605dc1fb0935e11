"""The planners' coverage page at /coverage and its CSV at /coverage.csv, drawn from models.coverage."""
