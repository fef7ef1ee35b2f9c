# segmenting segmented output replaces the columns in place (same bytes);
# customers in another order get the same decisions and arms
cx-score --as-of 2026-11-20 "$TESTDATA/canonical/accounts.tsv" >scored.tsv
cx-segment --as-of 2026-11-20 scored.tsv >once.tsv
cx-segment --as-of 2026-11-20 once.tsv >twice.tsv
cmp once.tsv twice.tsv && echo "rerun identical"
# reverse the order of customers, keeping each customer's rows together
{ head -n 1 scored.tsv; tail -n +2 scored.tsv | awk -F '\t' '{ k[NR] = $1; l[NR] = $0 } END { for (i = NR; i > 0; ) { j = i; while (j > 1 && k[j - 1] == k[i]) j--; for (m = j; m <= i; m++) print l[m]; i = j - 1 } }'; } >reversed.tsv
cx-segment --as-of 2026-11-20 reversed.tsv >rev.tsv
tail -n +2 once.tsv | sort >a.txt
tail -n +2 rev.tsv | sort >b.txt
cmp a.txt b.txt && echo "order independent"
wc -l <rev.tsv
