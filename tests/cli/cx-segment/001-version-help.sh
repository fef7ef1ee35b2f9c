# --version and --help go to stdout and exit 0
cx-segment --version
cx-segment --help
