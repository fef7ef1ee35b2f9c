# SIGTERM and SIGINT mid-run: killed by the signal, temporary file removed,
# the final name never created.
printf 'customer_key\tv\nc1\t1\n' >head.tsv
for sig in TERM INT; do
	rm -f p; mkfifo p
	cx-shard -n 1 -k 0 -o out.tsv p &
	pid=$!
	exec 3>p
	cat head.tsv >&3
	# wait until the tool has created its temporary file
	i=0; while [ -z "$(ls -A | grep '^\.out')" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	kill -$sig $pid
	wait $pid 2>/dev/null
	echo "$sig: rc=$? temp=$(ls -A | grep -c '^\.out') final=$(ls | grep -c '^out.tsv$')"
	exec 3>&-
done
