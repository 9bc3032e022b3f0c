"""Kills what a gst-fleet run started once the run has ended, however it ended.

The run starts this program with a pipe on its standard input and writes `+ <group>` for
each command it starts (each in a process group of its own) and `- <group>` when it has
ended. The pipe closes when the run's process ends: normally, or killed by SIGKILL or the
OOM killer, when nothing in the run can clean up. Then every group still listed is killed,
so no `copier update`, `uv lock` or test run outlives the run that started it.

Run by path (`python -I watchdog.py`), so it imports nothing of the tool's own.
"""

import os
import signal
import sys


def main() -> None:
    groups: set[int] = set()
    for line in sys.stdin:
        sign, _, group = line.partition(" ")
        if sign == "+":
            groups.add(int(group))
        elif sign == "-":
            groups.discard(int(group))
    for group in groups:
        try:
            os.killpg(group, signal.SIGKILL)
        except OSError:  # it had ended already
            continue


if __name__ == "__main__":
    main()
