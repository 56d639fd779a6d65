"""The status-quo pipeline the brief describes: jinja2 renders the template with a data file, then
a Markdown converter (markdown-it-py) makes HTML. No checks: a missing value renders as nothing.

Usage: status_quo.py TEMPLATE DATA.json [--loop N]   (prints the HTML once; with --loop, times N
in-process renders and prints the mean in microseconds instead)."""

import json
import sys
import time

import jinja2
from markdown_it import MarkdownIt


def render(template_text: str, data: dict) -> str:
    body = template_text
    if body.startswith("---\n"):
        end = body.find("\n---\n", 4)
        if end != -1:
            body = body[end + 5 :]
    md = jinja2.Template(body).render(**data)
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md)


def main() -> None:
    template_text = open(sys.argv[1], encoding="utf-8").read()
    data = json.load(open(sys.argv[2], encoding="utf-8"))
    data = data.get("values", data)
    if "--loop" in sys.argv:
        n = int(sys.argv[sys.argv.index("--loop") + 1])
        render(template_text, data)
        start = time.perf_counter()
        for _ in range(n):
            render(template_text, data)
        print((time.perf_counter() - start) / n * 1e6)
    else:
        sys.stdout.write(render(template_text, data))


if __name__ == "__main__":
    main()
