"""Killing worker subprocesses the way a crash would."""
import os
import signal
import subprocess
from pathlib import Path


def children_of(pid: int) -> list[int]:
    """Child process ids (from /proc), e.g. an RQ worker's work horse."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL a worker and its work horse (RQ puts the horse in a process group of its own)."""
    for pid in [process.pid, *children_of(process.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(10)
