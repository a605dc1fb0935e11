"""Hanoi's two generations of administrative units: the 30 districts of 2023 and the 126 communes
and wards of the 2025 reform, their boundaries, and where villages and centers lie in them."""
