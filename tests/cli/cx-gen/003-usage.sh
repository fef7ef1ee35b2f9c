# Usage errors exit 64 with one line and a hint; --help and --version.
cx-gen --version
cx-gen --help | head -n 1
cx-gen --seed 1 --as-of 2026-11-20 --out x; echo "exit $?"
cx-gen --accounts 10 --out x; echo "exit $?"
cx-gen --accounts 10 --as-of 2026-02-30 --out x; echo "exit $?"
cx-gen --accounts ten --as-of 2026-11-20 --out x; echo "exit $?"
cx-gen --accounts 10 --as-of 2026-11-20 --out x --format xml; echo "exit $?"
cx-gen --accounts 10 --as-of 2026-11-20 --out x --bad-rate 0.1; echo "exit $?"
cx-gen --accounts 10 --as-of 2026-11-20 --out x --streams accounts,ledgers; echo "exit $?"
cx-gen --accounts 10 --as-of 2026-11-20; echo "exit $?"
test -e x && echo "x created"
cx-gen --accounts 0 --as-of 2026-11-20 --out e && cat e/accounts.tsv | wc -l
cx-gen --accounts 5 --as-of 2026-11-20 --out s --streams accounts && ls s
