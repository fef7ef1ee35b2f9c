# --merge copies rows as they are: options of the normaliser are usage
# errors with it, and so are the accounts and table kinds.
cx-ingest --merge -k payments --accounts a.tsv x.tsv; echo "status $?"
cx-ingest --merge -k payments -d , x.tsv; echo "status $?"
cx-ingest --merge -k payments --rejects r.tsv x.tsv; echo "status $?"
cx-ingest --merge -k accounts x.tsv; echo "status $?"
cx-ingest --merge -k table x.tsv; echo "status $?"
