# Two inputs cannot both be standard input.
cx-report --as-of 2026-11-20 --plan - - </dev/null
