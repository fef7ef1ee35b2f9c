cx-ingest --help
