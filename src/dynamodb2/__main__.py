"""``python -m dynamodb2``: the command line (needs ``pip install 'dynamodb2[cli]'``)."""

from dynamodb2.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
