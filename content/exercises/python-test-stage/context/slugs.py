"""slugs: turns titles into URL slugs. `python slugs.py "Some Title"` prints one;
`python slugs.py --version` prints the version."""

import re
import sys
import unicodedata

__version__ = "1.1.0"


def slugify(title, max_len=60):
    """'Hello, World!' -> 'hello-world': ASCII letters and digits joined by single dashes."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = "-".join(words)
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return slug


def main(argv):
    if argv[:1] == ["--version"]:
        print("slugs", __version__)
        return 0
    if not argv:
        print("usage: slugs.py TITLE...", file=sys.stderr)
        return 2
    for title in argv:
        print(slugify(title))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
