# --version and --help go to stdout and exit 0
cx-score --version
cx-score --help | head -n 3
