"""The OCTO capabilities Craftway implements, read from the Octo-Capabilities request header."""

from __future__ import annotations

from dataclasses import dataclass

PRICING = "octo/pricing"
CONTENT = "octo/content"
SUPPORTED = (CONTENT, PRICING)
DOCS = {
    CONTENT: "https://docs.octo.travel/octo-api-capabilities/content",
    PRICING: "https://docs.octo.travel/octo-api-capabilities/pricing",
}


@dataclass(frozen=True, slots=True)
class Asked:
    """What a request asked for: the capabilities Craftway has among them, and the language."""

    capabilities: tuple[str, ...]
    language: str

    @property
    def pricing(self) -> bool:
        return PRICING in self.capabilities

    @property
    def content(self) -> bool:
        return CONTENT in self.capabilities

    @property
    def header(self) -> str:
        """The Octo-Capabilities answer header: those of the request that are in effect."""
        return ", ".join(self.capabilities)


def read_capabilities(header: str | None) -> tuple[str, ...]:
    asked = {part.strip().lower() for part in (header or "")[:1000].split(",")}
    return tuple(c for c in SUPPORTED if c in asked)


def capability_list() -> list[dict[str, object]]:
    return [{"id": c, "revision": 1, "required": False, "dependencies": [], "docs": DOCS[c]} for c in SUPPORTED]
