"""collectstatic's compressed copies (realtime_scrum/static_storage.py): written beside each
file, and never left stale when the file changes (`make run` collects at every start)."""

import gzip
import os

import brotli

from realtime_scrum.static_storage import PrecompressedStaticFilesStorage

SCRIPT = b"export function board() { return 'a card on the board'; }\n" * 40


def collect(storage, name: str) -> list:
    return list(storage.post_process({name: (storage, name)}))


def test_gz_and_br_are_written_and_rewritten_when_the_file_changes(tmp_path):
    storage = PrecompressedStaticFilesStorage(location=tmp_path)
    script = tmp_path / "board.js"
    script.write_bytes(SCRIPT)

    assert collect(storage, "board.js")
    assert gzip.decompress((tmp_path / "board.js.gz").read_bytes()) == SCRIPT
    assert brotli.decompress((tmp_path / "board.js.br").read_bytes()) == SCRIPT

    # Collected again unchanged: nothing to redo.
    assert collect(storage, "board.js") == []

    # collectstatic copies a changed file anew (a new mtime): its copies follow it.
    changed = SCRIPT.replace(b"card", b"task")
    script.write_bytes(changed)
    stat = script.stat()
    os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert collect(storage, "board.js")
    assert gzip.decompress((tmp_path / "board.js.gz").read_bytes()) == changed
    assert brotli.decompress((tmp_path / "board.js.br").read_bytes()) == changed
