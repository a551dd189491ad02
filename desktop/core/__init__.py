"""Qt-free, I/O-free domain: models, ports, errors, permissions and services."""
