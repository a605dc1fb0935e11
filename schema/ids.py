"""Opaque Relay global ids for the GraphQL layer; the encoding itself is the domain's
(models/global_ids.py), since webhook payloads carry the same ids."""

from models.global_ids import decode_id, decode_id_of, encode_id

__all__ = ["decode_id", "decode_id_of", "encode_id"]
