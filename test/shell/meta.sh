#!/usr/bin/env bash
# META.json is a valid PGXN distribution description (test/meta_check.py).
exec python3 "$(dirname "$0")/../meta_check.py"
