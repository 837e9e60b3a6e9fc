"""Static files pre-compressed at collectstatic: `.gz` and `.br` beside each file.

servestatic (under daphne) and nginx (`gzip_static`, deploy/nginx/) send those to a client
that accepts them, with nothing compressed per request.

Not the manifest (hashed names) variant: the page asks for `{% static 'frontend/' %}` (a
directory, which has no manifest entry: a strict manifest makes that a 500) and its ES
modules import each other by relative name, which hashing would have to rewrite in code
other people keep editing.

Brotli's default quality (11) spent 38 s of CPU on the 10 MB of Swagger UI's and ReDoc's
bundles and source maps for 8% less than quality 9 (4 s): files past BROTLI_BEST_MAX_BYTES
get quality 9, the page's own files (196 KiB, 61 KiB as .br) keep 11.

`make run` collects at every start, and Django hands post_process every file found, copied or
not: a file whose compressed siblings were written from this very copy is skipped (servestatic
gives them the source's mtime; a file collectstatic copies again gets a new one).
"""

from __future__ import annotations

import os
from typing import Any

import brotli
from servestatic.compress import Compressor
from servestatic.storage import CompressedStaticFilesStorage

BROTLI_BEST_MAX_BYTES = 256 * 1024


class _Compressor(Compressor):
    def compress_brotli(self, data: bytes) -> bytes:  # type: ignore[override]
        return brotli.compress(data, quality=11 if len(data) <= BROTLI_BEST_MAX_BYTES else 9)


class PrecompressedStaticFilesStorage(CompressedStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return _Compressor(**kwargs)

    def post_process(self, paths: dict[str, Any], dry_run: bool = False, **options: Any):
        stale = {name: value for name, value in paths.items() if not self._compressed_fresh(name)}
        return super().post_process(stale, dry_run=dry_run, **options)

    def _compressed_fresh(self, name: str) -> bool:
        path = self.path(name)
        try:
            mtime = os.stat(path).st_mtime
            # utime() got the float mtime: equal to well within a millisecond.
            return all(
                abs(os.stat(path + suffix).st_mtime - mtime) < 1e-3 for suffix in (".gz", ".br")
            )
        except OSError:
            return False
