"""The data archive (member_rights.privacy.export): stream a ZIP of N stored files and compare
with the baseline of building the same ZIP in memory first (``zipfile`` into a ``BytesIO``).

    python benchmarks/privacy_export.py                 # 3 000 files of 64 KB (192 MB)
    python benchmarks/privacy_export.py --files 500 --size 16384

Files are random bytes (incompressible, as photos are) in a temporary folder; no database: the
streaming writer is the same ``stream_zip`` the download uses, fed ``Entry`` objects that read
the files in 64 KB chunks. Printed: wall time, bytes out, peak Python memory (tracemalloc) and
time to the first byte, for both.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")

import django  # noqa: E402

django.setup()

from zdrave.member_rights.privacy.export import CHUNK, Entry, stream_zip  # noqa: E402


def chunks(path: Path):
    with path.open("rb") as handle:
        while data := handle.read(CHUNK):
            yield data


def entries(paths: list[Path]):
    for path in paths:
        yield Entry(f"documents/{path.name}.jpg", chunks(path), compressed=True)


def measure(label: str, run) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    first, total = run()
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<10} {elapsed:7.2f} s  {total / 1e6:8.1f} MB out  peak {peak / 1e6:8.1f} MB"
        f"  first byte after {first * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--size", type=int, default=64 * 1024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number in range(args.files):
            path = Path(folder) / f"{number:06d}"
            path.write_bytes(os.urandom(args.size))
            paths.append(path)
        print(f"{args.files} files of {args.size} bytes ({args.files * args.size / 1e6:.1f} MB)")

        def streamed():
            start, first, total = time.perf_counter(), None, 0
            for piece in stream_zip(entries(paths)):
                first = first if first is not None else time.perf_counter() - start
                total += len(piece)
            return first, total

        def in_memory():
            start = time.perf_counter()
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for path in paths:
                    archive.writestr(f"documents/{path.name}.jpg", path.read_bytes())
            data = buffer.getvalue()
            return time.perf_counter() - start, len(data)

        measure("streamed", streamed)
        measure("in memory", in_memory)


if __name__ == "__main__":
    main()
