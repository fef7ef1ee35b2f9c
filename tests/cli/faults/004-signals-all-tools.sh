# Every tool: SIGTERM and SIGINT while it reads its input from a FIFO: killed
# by the signal (143 / 130 in the shell), no temporary file left, the final
# name never created.
. "$SRCDIR/tests/cli/faults/tools.inc"
tools_setup || exit 1
for t in $TOOLS; do
	in=$(tool_input "$t")
	for sig in TERM INT; do
		rm -f p out.x; mkfifo p
		(EXEC=exec; tool_run "$t" out.x p 2>/dev/null) &
		pid=$!
		exec 3>p
		head -n 2 "$in" >&3
		# give the tool time to open its output (some tools create the
		# temporary file only once the header is read)
		i=0; while [ -z "$(ls -A | grep '^\.out')" ] && [ $i -lt 20 ]; do sleep 0.05; i=$((i + 1)); done
		kill -$sig $pid
		wait $pid 2>/dev/null
		echo "$t $sig: rc=$? temp=$(ls -A | grep -c '^\.out') final=$(ls | grep -c '^out.x$')"
		exec 3>&-
	done
done
