"""Rows of the knowledge tables: the SQL that selects them and their records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from desktop.core.errors import DatabaseCorrupt
from desktop.core.knowledge_models import (
    DocumentVersion,
    KbSettings,
    KbVisibility,
    KnowledgeBase,
    StoredChunk,
)
from desktop.storage.columns import json_object, to_json

KB_COLUMNS = (
    "id, name, description, visibility, members, app_allowlist, settings,"
    " created_by, created_at, updated_at"
)
# One version with its document; the chunk count comes from the (version_id, idx) index.
SELECT_VERSION = (
    "SELECT v.id, d.kb_id, d.id, d.name, v.version, v.sha256, v.size, v.kind,"
    " (SELECT count(*) FROM chunks AS k WHERE k.version_id = v.id),"
    " v.id IS d.active_version_id, v.added_by, v.added_at"
    " FROM documents AS d JOIN document_versions AS v ON v.document_id = d.id"
)
SELECT_CHUNKS = (
    'SELECT c.id, c.kb_id, d.name, v.version, c.idx, c.start, c."end", c.text, c.heading'
    " FROM json_each(?) AS j CROSS JOIN chunks AS c ON c.id = j.value"
    " JOIN document_versions AS v ON v.id = c.version_id"
    " JOIN documents AS d ON d.id = v.document_id ORDER BY j.key"
)


def json_array(text: Any, where: str) -> list[Any]:
    """Decode a JSON-array column; DatabaseCorrupt names ``where`` when it is not one."""
    try:
        value = json.loads(str(text))
    except ValueError:
        value = None
    if not isinstance(value, list):
        raise DatabaseCorrupt("storage.not_a_json_array", where=where)
    return value


#: Knowledge-base names are unique per creator, not workspace-wide, yet the column
#: ``knowledge_bases.name`` (m0003) is UNIQUE, and rebuilding a parent table is not
#: possible inside a migration's transaction with foreign keys on. So a name already
#: stored is stored again as ``name + NAME_TAG + a random tag``; reading drops the tag.
NAME_TAG = "\x1f"
#: The knowledge bases whose stored name is ``?1``, tagged or not (ignoring case); a
#: conversation's private knowledge base (m0012) is known by id only.
NAMED = (
    f"SELECT {KB_COLUMNS} FROM knowledge_bases WHERE conversation_id IS NULL AND (name = ?1"
    " OR substr(name, 1, length(?1) + 1) = ?1 || char(31) COLLATE NOCASE) ORDER BY id"
)

#: Order by the name without its tag, ignoring case.
BY_NAME = (
    "(CASE WHEN instr(name, char(31)) > 0 THEN substr(name, 1, instr(name, char(31)) - 1)"
    " ELSE name END) COLLATE NOCASE"
)


def display_name(stored: Any) -> str:
    """A stored name without its tag."""
    return str(stored).split(NAME_TAG, 1)[0]


def kb_record(row: Any) -> KnowledgeBase:
    """A knowledge base from a ``KB_COLUMNS`` row."""
    kb_id, name, description, visibility, members, apps, settings, by, created, updated = row
    where = f"knowledge base #{kb_id}"
    return KnowledgeBase(
        id=int(kb_id),
        name=display_name(name),
        description=str(description),
        visibility=KbVisibility(visibility),
        members=tuple(str(m) for m in json_array(members, f"{where} members")),
        app_allowlist=tuple(int(a) for a in json_array(apps, f"{where} app allowlist")),
        settings=KbSettings.from_dict(json_object(settings, f"{where} settings")),
        created_by=str(by),
        created_at=str(created),
        updated_at=str(updated),
    )


def version_record(row: Any) -> DocumentVersion:
    """A document version from a ``SELECT_VERSION`` row."""
    vid, kb_id, doc_id, name, version, sha, size, kind, chunks, active, by, at = row
    return DocumentVersion(
        id=int(vid),
        kb_id=int(kb_id),
        document_id=int(doc_id),
        name=str(name),
        version=int(version),
        sha256=str(sha),
        size=int(size),
        kind=str(kind),
        chunks=int(chunks),
        active=bool(active),
        added_by=str(by),
        added_at=str(at),
    )


def stored_chunk(row: Any) -> StoredChunk:
    """A chunk with its document name and version from a ``SELECT_CHUNKS`` row."""
    cid, kb_id, document, version, index, start, end, text, heading = row
    return StoredChunk(
        id=int(cid),
        kb_id=int(kb_id),
        document=str(document),
        version=int(version),
        index=int(index),
        start=int(start),
        end=int(end),
        text=str(text),
        heading=str(heading),
    )


def kb_values(kb: KnowledgeBase, stored_name: str) -> tuple[Any, ...]:
    """The editable columns: name, description, visibility, members, apps, settings."""
    return (
        stored_name,
        kb.description,
        kb.visibility.value,
        to_json(list(kb.members)),
        to_json(list(kb.app_allowlist)),
        to_json(kb.settings.as_dict()),
    )


def id_list(ids: Sequence[int]) -> str:
    """A JSON array of ints for ``json_each``: one parameter, any number of ids."""
    return json.dumps([int(i) for i in ids])
