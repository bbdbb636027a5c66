"""One process of test_memory_indexes_in_two_processes: build and write a memory index many times.

Run as `python -m tests.search.memory_worker ROUNDS`; prints how many documents the last index holds.
"""

import sys

from pioneer.search.backend import WhooshBackend


def document(number):
    return {"id": str(number), "title": f"Project number {number}", "summary": "A summary long enough to "
            "make the writer spill to its scratch files " * 20, "stars": 1, "time": 1}


def main(rounds):
    backend = WhooshBackend(root=None)
    for round_number in range(rounds):
        backend.build(document(n) for n in range(20))
        writer = backend.writer()
        writer.update_document(**document(100 + round_number))
        writer.commit()
    print(backend.searcher().doc_count())


if __name__ == "__main__":
    main(int(sys.argv[1]))
