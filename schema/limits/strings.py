"""NUL characters in strings: PostgreSQL cannot store them and no legitimate input has them, so
they are refused up front, in the document and in variables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, StringValueNode, visit
from graphql.language import DocumentNode, Visitor
from strawberry.extensions import SchemaExtension


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class _FindNul(Visitor):
    found = False

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if "\x00" in node.value:
            self.found = True


_DOCUMENTS_SEEN = 512
_documents: dict[str, bool] = {}  # by query text: whether its document has a NUL in a string


def _document_has_nul(query: str | None, document: DocumentNode) -> bool:
    """Visiting a document costs more than the rest of a planned read's checks, and the answer
    depends on the text alone, so it is kept for the texts seen last."""
    found = _documents.get(query) if query is not None else None
    if found is None:
        finder = _FindNul()
        visit(document, finder)
        found = finder.found
        if query is not None:
            if len(_documents) >= _DOCUMENTS_SEEN:
                _documents.clear()
            _documents[query] = found
    return found


class RejectNulCharacters(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        in_document = document is not None and _document_has_nul(context.query, document)
        if in_document or _has_nul(context.variables or {}):
            context.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        "Strings may not contain NUL (\\u0000) characters.", extensions={"code": "BAD_USER_INPUT"}
                    )
                ],
            )
        yield
