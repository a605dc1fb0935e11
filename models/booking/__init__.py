"""Booking seats: hold, book, confirm, cancel. Never oversold, never lost, safe to retry."""
