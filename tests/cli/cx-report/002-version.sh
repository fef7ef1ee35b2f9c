cx-report --version
