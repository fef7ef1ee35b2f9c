# usage errors exit 64 with one line and a hint; --help and --version
cx-plan testdata.tsv; echo "rc=$?"
cx-plan --as-of 2026-13-01 x; echo "rc=$?"
cx-plan --as-of 2026-11-20 --bogus; echo "rc=$?"
cx-plan --as-of 2026-11-20 a b; echo "rc=$?"
cx-plan --version
cx-plan --help | head -3
