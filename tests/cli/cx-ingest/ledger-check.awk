# Check a cx-ingest ledger (measure, currency, value): rows in = out +
# rejected + duplicate + blank, and per currency and money measure
# X_in = X_out + X_rejected + X_duplicate (compared in minor units).
# Prints one line: NAME ... balanced|UNBALANCED.
function minor(x) { gsub(/\./, "", x); return x + 0 }
BEGIN { FS = "\t" }
NR > 1 {
	v[$1 "|" $2] = $3
	if ($2 != "" && $1 ~ /_in$/) { base[substr($1, 1, length($1) - 3) "|" $2] = 1 }
}
END {
	ok = (v["rows_in|"] == v["rows_out|"] + v["rows_rejected|"] + v["rows_duplicate|"] + v["rows_blank|"])
	money = ""
	for (k in base) {
		split(k, p, "|")
		b = p[1]; c = p[2]
		if (minor(v[b "_in|" c]) != minor(v[b "_out|" c]) + minor(v[b "_rejected|" c]) + minor(v[b "_duplicate|" c])) ok = 0
	}
	printf "%s in=%d out=%d rejected=%d duplicate=%d blank=%d %s\n", name, v["rows_in|"], v["rows_out|"],
	    v["rows_rejected|"], v["rows_duplicate|"], v["rows_blank|"], ok ? "balanced" : "UNBALANCED"
}
