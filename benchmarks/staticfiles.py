"""Collect static files for the benchmark's gunicorn when production's collectstatic fails.

The vendored Bootstrap files end with ``sourceMappingURL`` comments naming .map files that
are not in static/, and the manifest storage refuses to collect a file whose references it
cannot find. Until that is fixed, the benchmark collects with the same storage minus the
source-map rewriting, and says so; the server still runs the production settings, reading
the manifest this writes.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def pattern_text(pattern) -> str:
    return pattern if isinstance(pattern, str) else pattern[0]


class SourceMapTolerantStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (glob, tuple(p for p in found if "sourceMappingURL" not in pattern_text(p)))
        for glob, found in CompressedManifestStaticFilesStorage.patterns
    )
