cx-report --help
