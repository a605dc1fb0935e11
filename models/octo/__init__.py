"""OCTO, the travel trade's open booking standard, over Craftway's own domain operations."""
