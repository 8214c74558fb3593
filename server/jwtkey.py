"""The cluster's HS256 key, followed when it changes. slurmctld checks tokens
with the key it reads now; a server holding the key it read at start-up
would refuse every token of the new key and pass tokens of the old one that
slurmctld then refuses. So the file is looked at (one stat) before each use
and read again when it has changed; when a changed key can no longer be read
(after -u, a key only SlurmUser may read), no token is accepted until a
restart, and the log says so once. A file that cannot even be looked at
keeps the key read at start-up."""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger("slurmrestpy")


class KeyUnavailable(Exception):
    pass


class KeyFile:
    def __init__(self, path: Path):
        self.path = path
        self._stamp, self._key = self._read()  # at start-up, errors stop the server
        self._failure_logged = self._unwatched_logged = False

    def _stamp_now(self) -> tuple[int, int, int]:
        status = os.stat(self.path)
        return status.st_ino, status.st_mtime_ns, status.st_size

    def _read(self) -> tuple[tuple[int, int, int], bytes]:
        stamp = self._stamp_now()
        key = self.path.read_bytes()
        if not key:
            raise ValueError(f"{self.path}: the JWT key is empty")
        return stamp, key

    def current(self) -> bytes:
        try:
            stamp = self._stamp_now()
        except OSError as error:
            # Not even visible after -u (a folder only SlurmUser may enter):
            # whether it changed cannot be known, so the key read at start-up stays.
            if not self._unwatched_logged:
                log.info("the JWT key %s cannot be watched for changes (%s): a new key needs a restart",
                         self.path, error.strerror)
                self._unwatched_logged = True
            return self._key
        if stamp == self._stamp:
            return self._key
        try:
            self._stamp, self._key = self._read()
        except (OSError, ValueError) as error:
            if not self._failure_logged:
                log.warning("the JWT key %s changed and cannot be read again (%s): no token is accepted "
                            "until slurmrestpy is restarted", self.path,
                            getattr(error, "strerror", None) or error)
                self._failure_logged = True
            raise KeyUnavailable("The cluster's JWT key changed since this server started and cannot be "
                                 "read again; the server's log says why") from None
        self._failure_logged = False
        log.info("the JWT key %s changed: read again", self.path)
        return self._key
