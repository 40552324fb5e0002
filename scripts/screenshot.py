"""Screenshot pages of a running server in Debian's Chromium (for looking, not testing).

python scripts/screenshot.py BASE_URL OUT_DIR [--user NAME] PATH [PATH …]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("--user")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--lang")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        if args.user:
            page.goto(args.base + "/accounts/login/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("main button[type=submit]")
        if args.lang:
            page.context.add_cookies(
                [{"name": "django_language", "value": args.lang, "url": args.base}]
            )
        for path in args.paths:
            page.goto(args.base + path)
            name = (path.strip("/").replace("/", "_") or "home") + ".png"
            page.screenshot(path=str(out / f"{args.user or 'anon'}_{name}"), full_page=True)
            print(out / f"{args.user or 'anon'}_{name}")
        browser.close()


if __name__ == "__main__":
    main()
