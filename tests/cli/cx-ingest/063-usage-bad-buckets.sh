cx-ingest --kind accounts --buckets 60,30 a.csv
