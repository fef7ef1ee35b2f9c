# Output files are created with mode 0600 (they may hold personal data),
# whatever the umask; only a report masked by cx-report itself is 0644.
umask 022
S=$TESTDATA/sample
cx-ingest --kind accounts --as-of 2026-11-20 --rejects rej.tsv --ledger led.tsv -o acc.tsv "$S/cards.csv" 2>/dev/null
cx-score --as-of 2026-11-20 -o scored.tsv acc.tsv
cx-segment --as-of 2026-11-20 -o seg.tsv scored.tsv
cx-plan --as-of 2026-11-20 -o plan.tsv seg.tsv
cx-shard -n 2 -o shard seg.tsv
cx-report --as-of 2026-11-20 -o masked.tsv seg.tsv
cx-report --as-of 2026-11-20 --unmask -o unmasked.tsv seg.tsv
cx-report --as-of 2026-11-20 --partial -o partial.tsv seg.tsv
cx-report --merge -o merged.tsv partial.tsv
stat -c '%a %n' ./*.tsv | sort -k2
