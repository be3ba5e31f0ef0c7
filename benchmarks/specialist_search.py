"""Speed of the Extra Care directory search (``zdrave.member_services.specialists.search``) over the demo data
files: index build time and queries per second, for exact words, word forms, typos and
phrases. No database. Run: ``python benchmarks/specialist_search.py``."""

from __future__ import annotations

import time

from zdrave.member_services.specialists.directory import (
    read_directory,
    read_vocabulary,
    record_entry,
)
from zdrave.member_services.specialists.search import SearchIndex

QUERIES = [
    "кардиолог", "kardiolog", "kardiolg", "болки в гърба", "back pain", "рак на гърдата",
    "breast cancer", "knee", "коленете", "сърцето", "hearts", "главоболие", "headache",
    "shortness of breath", "dermatolgy", "onkolog", "gastroenterolog", "тревожност",
    "кардиолог Берлин", "qwzx",
]  # fmt: skip


def main() -> None:
    vocabulary = read_vocabulary()
    records = read_directory(vocabulary=vocabulary)
    entries = [record_entry(r, vocabulary, n) for n, r in enumerate(records, start=1)]

    started = time.perf_counter()
    index = SearchIndex(entries, vocabulary)
    built = time.perf_counter() - started
    print(
        f"index: {len(entries)} people, {len(vocabulary.phrases)} phrases, built in {built * 1000:.1f} ms"
    )

    started = time.perf_counter()
    for query in QUERIES:
        SearchIndex(entries, vocabulary).search(query)
    cold = (time.perf_counter() - started) / len(QUERIES)
    print(f"first search of a query on a fresh index (includes the build): {cold * 1000:.1f} ms")

    rounds = 50
    started = time.perf_counter()
    for _ in range(rounds):
        for query in QUERIES:
            index.search(query)
    elapsed = time.perf_counter() - started
    print(f"warm: {rounds * len(QUERIES) / elapsed:.0f} queries per second")


if __name__ == "__main__":
    main()
