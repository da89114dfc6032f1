#!/usr/bin/env python3
"""Prints libcwmp's public headers (runtime/include/cwmp/**/*.h), relative to
runtime/include, one per line in a stable order: tests/headers builds one
translation unit of each."""
import pathlib
import sys

include = pathlib.Path(sys.argv[1])
for h in sorted(include.glob("cwmp/**/*.h")):
    print(h.relative_to(include).as_posix())
