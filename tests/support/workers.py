"""Killing worker subprocesses the way a crash would."""
import os
import signal
import subprocess
from pathlib import Path


def children_of(pid: int) -> list[int]:
    """Child process ids (from /proc)."""
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
    """SIGKILL a worker (it runs its jobs itself: there is no work horse to kill with it)."""
    try:
        os.kill(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(10)
