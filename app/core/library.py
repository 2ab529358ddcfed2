"""The shipped questionnaires, loaded once and reloaded only when a file changes."""

from __future__ import annotations

import threading
from pathlib import Path
from types import MappingProxyType

from .loader import (
    CATALOGUE_FILE,
    InvalidQuestionnaire,
    Problem,
    check_files,
    load_catalogue,
    load_questionnaire,
)
from .model import Questionnaire


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


class QuestionnaireLibrary:
    """Every questionnaire in one folder, checked against the catalogue beside it.

    Loading parses YAML (milliseconds); a warm lookup only stats the files, so
    an author's edit is picked up without a restart and nothing is re-parsed
    otherwise.
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._catalogue: tuple[tuple[int, int], MappingProxyType] | None = None
        self._files: dict[Path, tuple[tuple[int, int], Questionnaire]] = {}

    def questionnaire_files(self) -> list[Path]:
        return sorted(p for p in self.folder.glob("*.yaml") if p.name != CATALOGUE_FILE)

    def catalogue(self) -> MappingProxyType:
        path = self.folder / CATALOGUE_FILE
        stamp = _stamp(path)
        with self._lock:
            if self._catalogue is None or self._catalogue[0] != stamp:
                self._catalogue = (stamp, load_catalogue(path))
                self._files.clear()  # questionnaires embed the catalogue
            return self._catalogue[1]

    def all(self) -> list[Questionnaire]:
        """Every questionnaire; raises InvalidQuestionnaire if a shipped file is broken."""
        catalogue = self.catalogue()
        result = []
        for path in self.questionnaire_files():
            stamp = _stamp(path)
            with self._lock:
                cached = self._files.get(path)
                if cached is None or cached[0] != stamp:
                    cached = (stamp, load_questionnaire(path, catalogue))
                    self._files[path] = cached
            result.append(cached[1])
        return result

    def get(self, questionnaire_id: str, version: str | None = None) -> Questionnaire:
        """The questionnaire with this id (its latest version unless one is named)."""
        matches = [q for q in self.all() if q.id == questionnaire_id
                   and (version is None or q.version == version)]
        if not matches:
            wanted = questionnaire_id + (f" version {version}" if version else "")
            raise KeyError(f"no questionnaire '{wanted}' in {self.folder}")
        return max(matches, key=lambda q: _version_key(q.version))

    def check(self, paths: list[Path] | None = None) -> list[Problem]:
        """Problems in the given files, or in every shipped file."""
        if not paths:
            paths = [self.folder / CATALOGUE_FILE, *self.questionnaire_files()]
        return check_files(paths, self._catalogue_for)

    def _catalogue_for(self, path: Path):
        """A questionnaire is checked against the catalogue beside it, else the shipped one."""
        beside = path.parent / CATALOGUE_FILE
        return load_catalogue(beside if beside.exists() else self.folder / CATALOGUE_FILE)


def _version_key(version: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in version.replace("-", ".").split("."))


__all__ = ["InvalidQuestionnaire", "QuestionnaireLibrary"]
