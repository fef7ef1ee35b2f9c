cx-report --as-of 2026-11-20 does-not-exist.tsv
