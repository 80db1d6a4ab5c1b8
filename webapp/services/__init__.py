"""Use cases that span geo and models: one transaction per submission."""

from __future__ import annotations

from geo.i18n import Message


def joined(parts: list[Message], separator: str = ", ") -> Message:
    """``parts`` (at least one) joined by ``separator`` as one ``Message``, each part said in
    the reader's language: the pattern of placeholders is no msgid, so every language keeps
    it as it is."""
    pattern = separator.join(f"%(part{i})s" for i in range(len(parts)))
    return Message(pattern, **{f"part{i}": part for i, part in enumerate(parts)})
