"""Waiting lists of sold-out sessions: groups wait together and are offered freed seats in order."""
