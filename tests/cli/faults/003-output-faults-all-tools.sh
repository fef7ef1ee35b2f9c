# Every tool: failing write, fsync, close or rename of the -o file, and
# /dev/full as stdout: exit 74, one diagnostic line, the existing file
# untouched, no temporary file left.
. "$SRCDIR/tests/cli/faults/tools.inc"
tools_setup || exit 1
for t in $TOOLS; do
	for call in write fsync close rename; do
		echo old >out.x
		CX_FAULT=$call CX_FAULT_MATCH=out.x LD_PRELOAD=$CX_FAULTS_SO \
		    tool_run "$t" out.x >/dev/null 2>err
		echo "$t $call: rc=$? lines=$(wc -l <err) $(sed "s/^$t: //" err | tail -n 1) | $(cat out.x) | temp=$(ls -A | grep -c '^\.out')"
	done
	rm -f out.x
	case $t in cx-report) o="-F text" ;; *) o="" ;; esac
	case $t in cx-ingest) o="-k accounts" ;; esac
	# shellcheck disable=SC2086
	$t $o --as-of 2026-11-20 "$(tool_input "$t")" >/dev/full 2>err
	echo "$t /dev/full: rc=$? lines=$(wc -l <err)"
done
