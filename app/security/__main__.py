"""``python -m app.security init PATH``: create a keyring before the production app can start."""
from __future__ import annotations

from pathlib import Path

from .keyring import new_keyring


def main(argv: list[str] | None = None) -> int:
    """``python -m app.security init PATH``: create a keyring before the app can start."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "init":
        print("usage: python -m app.security init PATH", file=sys.stderr)
        return 2
    path = Path(args[1])
    if path.exists():
        print(f"{path} already exists; refusing to overwrite", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    new_keyring(path).save()
    print(f"keyring written to {path}; set SUJARIT_KEYRING={path} and keep an offline backup")
    return 0




if __name__ == "__main__":
    raise SystemExit(main())
