"""Completion: fact ids in '{{ }}' and after `fact:`, article ids after `source:`, question
types after `type:`, and keys with their descriptions from the published JSON Schema."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from . import context
from .project import Snapshot


def complete(
    snapshot: Snapshot, lines: list[str], row: int, column: int, file_schema: dict[str, Any]
) -> list[types.CompletionItem]:
    where = context.at_cursor(lines, row, column)
    if isinstance(where, context.InTemplate):
        return fact_items(snapshot)
    if isinstance(where, context.AfterKey):
        if where.key == "fact" and "questions" in where.path[:1]:
            return fact_items(snapshot)
        if where.key == "source" and where.path[:1] == ("facts",):
            return [
                types.CompletionItem(
                    label=source_id,
                    kind=types.CompletionItemKind.Reference,
                    detail=source.title,
                    documentation=source.citation,
                )
                for source_id, source in sorted(snapshot.bank.sources.items())
            ]
        if where.key == "type" and where.path[:1] == ("questions",):
            options = _resolve(file_schema, ("questions", "-", "type"), file_schema)
            return [
                types.CompletionItem(label=str(kind), kind=types.CompletionItemKind.EnumMember)
                for kind in (options or {}).get("enum", ())
            ]
        return []
    if isinstance(where, context.AtKey):
        return key_items(file_schema, where.path, _siblings(lines, row))
    return []


def fact_items(snapshot: Snapshot) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(
            label=fact_id,
            kind=types.CompletionItemKind.Variable,
            detail=f"{fact.value}  ({fact.source_id})",
            documentation=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value=f"> {fact.quote}"
            ),
        )
        for fact_id, fact in sorted(snapshot.facts.items())
    ]


def key_items(
    file_schema: dict[str, Any], path: tuple[str, ...], present: set[str]
) -> list[types.CompletionItem]:
    mapping = _resolve(file_schema, path, file_schema)
    if mapping is None:
        return []
    items = []
    for key, rule in mapping.get("properties", {}).items():
        if key in present:
            continue
        rule = _deref(rule, file_schema) if isinstance(rule, dict) else {}
        description = mapping["properties"][key].get("description") or rule.get("description")
        items.append(
            types.CompletionItem(
                label=key,
                kind=types.CompletionItemKind.Property,
                detail=", ".join(rule["enum"]) if "enum" in rule else None,
                documentation=description,
                insert_text=f"{key}: ",
            )
        )
    return items


def _siblings(lines: list[str], row: int) -> set[str]:
    """Keys already written in the mapping the cursor's line belongs to."""
    line = lines[row] if row < len(lines) else ""
    indent = len(line) - len(line.lstrip(" -"))
    found: set[str] = set()
    for step in (-1, 1):
        other = row + step
        while 0 <= other < len(lines):
            text = lines[other]
            stripped = text.lstrip(" ")
            if stripped and not stripped.startswith("#"):
                key = context.key_of_line(text)
                own = len(text) - len(stripped)
                if key is not None and key[1] == indent:
                    found.add(key[0])
                    if stripped.startswith("-"):
                        break  # the first key of this list item
                elif own < indent or (stripped.startswith("-") and own + 2 <= indent):
                    break
            other += step
    return found


def _deref(rule: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in rule and seen < 10:
        target: Any = root
        for step in rule["$ref"].removeprefix("#/").split("/"):
            target = target.get(step, {})
        rule, seen = target, seen + 1
    return rule


def _resolve(node: dict[str, Any], path: tuple[str, ...], root: dict[str, Any]) -> Any:
    """The schema of the value at path: keys name properties, '-' a list's items."""
    node = _deref(node, root)
    for step in path:
        if step == "-":
            node = node.get("items")
        elif step in node.get("properties", {}):
            node = node["properties"][step]
        else:
            node = node.get("additionalProperties")
        if not isinstance(node, dict):
            return None
        node = _deref(node, root)
    return node
