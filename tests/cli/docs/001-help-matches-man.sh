# Every long option in a tool's --help is documented in its man page's
# SYNOPSIS or OPTIONS, and every long option there is in --help.
for t in cx-ingest cx-score cx-segment cx-plan cx-report cx-shard cx-gen; do
	"$t" --help 2>&1 | grep -o -- '--[a-z][a-z0-9-]*' | sort -u >help.$t
	mandoc -Tascii "$SRCDIR/man/$t.1" | col -b |
		awk '/^[A-Z][A-Z ]*$/ { keep = ($0 == "SYNOPSIS" || $0 == "OPTIONS") } keep' |
		grep -o -- '--[a-z][a-z0-9-]*' | sort -u >man.$t
	only_help=$(comm -23 help.$t man.$t | tr '\n' ' ')
	only_man=$(comm -13 help.$t man.$t | tr '\n' ' ')
	[ -z "$only_help" ] || echo "$t: in --help, not in the man page: $only_help"
	[ -z "$only_man" ] || echo "$t: in the man page, not in --help: $only_man"
	"$t" --version | grep -q "^$t (cx) " || echo "$t: bad --version"
done
echo checked
