"""The fake Bot API's files: uploads get a realistic ``file_id``; a ``file_id`` sent later must
be one it handed out (and not forgotten), else it is refused as Telegram refuses it."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass

REFUSED = "Bad Request: wrong file identifier/HTTP URL specified"
PREFIX = {"animation": "CgACAgQAAxkDAAI", "photo": "AgACAgQAAxkDAAI", "document": "BQACAgQAAxkDAAI"}


@dataclass(frozen=True)
class StoredFile:
    """One uploaded file as the fake keeps it."""

    file_id: str
    file_unique_id: str
    kind: str
    file_name: str
    size: int


class FakeFiles:
    """Uploads and the file_ids they were given."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.uploads: list[StoredFile] = []
        self._numbers = itertools.count(1)

    def upload(self, kind: str, data: bytes, file_name: str) -> StoredFile:
        """Store an uploaded file under a new file_id (Telegram gives each upload its own)."""
        digest = hashlib.sha256(data).hexdigest()
        number = next(self._numbers)
        stored = StoredFile(
            file_id=f"{PREFIX.get(kind, PREFIX['document'])}{number:04d}{digest[:24]}",
            file_unique_id=f"AgAD{digest[:12]}",
            kind=kind,
            file_name=file_name,
            size=len(data),
        )
        self.by_id[stored.file_id] = stored
        self.uploads.append(stored)
        return stored

    def find(self, file_id: str) -> StoredFile | None:
        return self.by_id.get(file_id)

    def forget(self, file_id: str | None = None) -> None:
        """Refuse ``file_id`` from now on (all of them when None), as after a bot token change."""
        if file_id is None:
            self.by_id.clear()
        else:
            self.by_id.pop(file_id, None)

    def resolve(
        self, kind: str, field: object, files: dict[str, bytes], names: dict[str, str]
    ) -> StoredFile | None:
        """The file a send refers to: a new upload (``files``), or a known file_id; None when
        the file_id is unknown (the caller answers 400)."""
        for name, data in files.items():
            return self.upload(kind, data, names.get(name, name))
        if isinstance(field, str):
            return self.find(field)
        return None
