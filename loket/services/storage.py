"""Where attachment bytes are kept: one interface (`Storage`: put, get, delete, exists) with two backends, the
local filesystem (default: a folder outside the web root, ATTACHMENT_STORAGE_DIR) and an S3-compatible object
store when ATTACHMENT_S3_BUCKET is set (so several web hosts share the files).

Keys are random (`new_key`: 32 hex characters), never a name a user gave. A file is stored *before* its row is
committed, and only counts once that commit succeeds:

- `store_pending(data, content_type)` writes the bytes and remembers the key on the database session; if the
  transaction ends without a commit (rolled back, abandoned, the session closed after an error) the bytes are
  deleted again, so nothing is half-stored. A process killed between the write and the commit leaves an object
  no row names — unreachable, never served, and recognisable by having no row.
- `remove_after_commit(keys)` deletes files whose rows an AVG erasure or the retention marked as removed, once
  that transaction committed (a rolled-back erasure keeps them).
"""
import logging
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
PENDING = "storage_pending"  # session.info: [(storage, key)] written in the open transaction
DOOMED = "storage_doomed"  # session.info: [(storage, key)] to delete once the open transaction commits


class StorageError(RuntimeError):
    """The backend could not store or read a file (disk full, object store away)."""


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


def new_key() -> str:
    return secrets.token_hex(16)


def _checked(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key or ""):
        raise ValueError("not a storage key")
    return key


class LocalStorage:
    """Files under `root/<first two characters>/<key>`, written to a temporary file first and then renamed, so a
    reader never sees half a file."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise StorageError(f"could not store {key}: {error}") from error

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as error:
            raise StorageError(f"could not read {key}: {error}") from error

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Storage:
    """Objects `<key>` in one bucket of an S3-compatible store (AWS, MinIO, Ceph, …), by path-style addressing."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 access_key_id: str | None = None, secret_access_key: str | None = None):
        import boto3
        from botocore.config import Config as BotoConfig

        self.bucket = bucket
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=BotoConfig(s3={"addressing_style": "path"}, connect_timeout=5, read_timeout=30,
                              retries={"max_attempts": 3, "mode": "standard"}))

    def put(self, key: str, data: bytes, content_type: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=_checked(key), Body=data, ContentType=content_type)
        except (BotoCoreError, ClientError) as error:
            raise StorageError(f"could not store {key}: {error}") from error

    def get(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=_checked(key))["Body"].read()
        except (BotoCoreError, ClientError) as error:
            raise StorageError(f"could not read {key}: {error}") from error

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=_checked(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=_checked(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def storage_from(config) -> Storage:
    """The backend a configuration names: S3 with ATTACHMENT_S3_BUCKET, else the local folder."""
    if config.get("ATTACHMENT_S3_BUCKET"):
        return S3Storage(config["ATTACHMENT_S3_BUCKET"], endpoint_url=config.get("ATTACHMENT_S3_ENDPOINT_URL"),
                         region=config.get("ATTACHMENT_S3_REGION"),
                         access_key_id=config.get("ATTACHMENT_S3_ACCESS_KEY_ID"),
                         secret_access_key=config.get("ATTACHMENT_S3_SECRET_ACCESS_KEY"))
    return LocalStorage(config["ATTACHMENT_STORAGE_DIR"])


def storage() -> Storage:
    """The current app's backend (built once per app and configuration)."""
    config = current_app.config
    wanted = (config.get("ATTACHMENT_S3_BUCKET"), config.get("ATTACHMENT_S3_ENDPOINT_URL"),
              config.get("ATTACHMENT_STORAGE_DIR"))
    cached = current_app.extensions.get("attachment_storage")
    if cached is None or cached[0] != wanted:
        cached = (wanted, storage_from(config))
        current_app.extensions["attachment_storage"] = cached
    return cached[1]


# ---------------------------------------------------------------- bytes that follow the transaction

def store_pending(session: Session, data: bytes, content_type: str) -> str:
    """Write `data` under a new key now; it is deleted again unless the session's transaction commits."""
    session.connection()  # a transaction is open, so its end (commit or not) is seen
    backend, key = storage(), new_key()
    backend.put(key, data, content_type)
    session.info.setdefault(PENDING, []).append((backend, key))
    return key


def remove_after_commit(session: Session, keys) -> None:
    """Delete these keys' files once the session's transaction has committed."""
    backend = storage()
    session.info.setdefault(DOOMED, []).extend((backend, key) for key in keys)


def _delete_all(items, why: str) -> None:
    for backend, key in items:
        try:
            backend.delete(key)
        except Exception:  # noqa: BLE001 - the write is decided; a file left behind is logged, not an error answer
            log.exception("Could not delete stored file %s (%s)", key, why)


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    session.info.pop(PENDING, None)  # committed: the files are the rows' now
    _delete_all(session.info.pop(DOOMED, []), "removed by a committed erasure")


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session, transaction):
    if transaction.parent is not None or transaction.nested:
        return
    # Still pending after the outermost transaction ended: it did not commit.
    _delete_all(session.info.pop(PENDING, []), "its transaction did not commit")
    session.info.pop(DOOMED, None)
