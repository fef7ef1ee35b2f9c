mkdir d
cx-ingest -k accounts d
