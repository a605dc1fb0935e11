"""Automatic persisted queries: the sha256Hash protocol Apollo clients speak.

A client first sends only `extensions.persistedQuery.sha256Hash`; if the server does not know
it, the answer is PERSISTED_QUERY_NOT_FOUND and the client resends with the query, which is
checked against the hash and remembered. Documents are kept per process in a bounded LRU, so an
anonymous client cannot fill storage; a process that has not seen a hash just asks once.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from typing import Any

from cross_web import HTTPException

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class PersistedQueryError(HTTPException):
    def __init__(self, status_code: int, reason: str, code: str) -> None:
        super().__init__(status_code, reason)
        self.code = code


class PersistedQueries:
    def __init__(self, max_documents: int = 5_000) -> None:
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._max = max_documents

    def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The document to run: `query` itself, or the one its persisted-query hash names."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return query
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise PersistedQueryError(
                400, "persistedQuery must be {version: 1, sha256Hash}", "PERSISTED_QUERY_NOT_SUPPORTED"
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise PersistedQueryError(400, "sha256Hash must be 64 lower-case hex digits", "BAD_REQUEST")
        if query is not None:
            if hashlib.sha256(query.encode()).hexdigest() != digest:
                raise PersistedQueryError(400, "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
            self._remember(digest, query)
            return query
        known = self._documents.get(digest)
        if known is None:
            # Apollo clients look for this message and code, and resend with the query.
            raise PersistedQueryError(200, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        self._documents.move_to_end(digest)
        return known

    def _remember(self, digest: str, query: str) -> None:
        self._documents[digest] = query
        self._documents.move_to_end(digest)
        while len(self._documents) > self._max:
            self._documents.popitem(last=False)
