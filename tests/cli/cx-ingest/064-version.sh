cx-ingest --version
