"""OCTO over HTTP at /octo: resellers' REST calls, answered from the same bookings as GraphQL."""
