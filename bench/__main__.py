"""``make bench``: run every benchmark and print its table."""

from __future__ import annotations

import sys

from bench import bundle, cold_start, files, media

BENCHES = [bundle.run, cold_start.run, files.run, media.run]


def main() -> None:
    for bench in BENCHES:
        sys.stdout.write(bench() + "\n\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
