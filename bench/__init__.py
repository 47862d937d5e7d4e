"""The performance benchmark: `make bench` or `python -m bench [--quick]`. See bench/README.md."""
