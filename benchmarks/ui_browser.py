"""Time UI pages in headless Chromium (Playwright); run by the mltrail interpreter (``.venv``).

Usage: ``python ui_browser.py SPEC_JSON``. The JSON holds ``base`` (the server's URL),
``navigations`` (timed cold loads per target), ``warm`` (also time warm loads) and ``targets``:
``[{"name", "path" (the hash route), "ready", "complete"?, "warm"?}]``, where ``ready`` and the
optional ``complete`` are JS function bodies that return true once the page shows what we wait
for, and ``"warm": false`` skips the warm loads of one target. Prints one line
``BENCH_RESULT <json>``.

How a navigation is timed: an init script (it runs in every document before the page's own
scripts) checks the predicates on every DOM mutation and every animation frame. When one first
holds it records ``performance.now()`` (milliseconds since the navigation started, i.e.
``performance.timeOrigin``) and, one animation frame later (the paint that shows it), the figure
reported (``ms`` for ready, ``complete_ms``). Once every predicate held it logs one console
message, which this script waits for (``wait_for_function`` would need ``eval``, which both
UIs' Content-Security-Policy forbids). The Python-side wall time from ``goto`` to that message
is kept as a cross-check (``wall_ms``).

- cold: a fresh browser context per navigation (empty HTTP cache, storage and cookies), after
  one untimed warm-up navigation per target in its own context (the server's first request pays
  for lazy imports and a cold SQLite page cache; that is not what a page costs).
- warm: one context; load the page, then ``about:blank`` and the page again, N + 1 times, the
  first untimed (scripts and styles come from the HTTP cache, the API calls are made again).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers.browser import CHROMIUM_FLAGS, LOOPBACK_HOSTS, chromium_path

RESULT_PREFIX = "BENCH_RESULT "
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 300_000
# Nothing leaves the machine: every host name but the loopback fails to resolve. (Routing each
# request through Playwright would block them too, but would slow down every request.)
NO_NETWORK_FLAG = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
DONE = "__bench_done"

# /*MILESTONES*/ becomes {name: () => boolean, ...}.
WATCHER = """
(() => {
  const milestones = /*MILESTONES*/;
  const found = {}, painted = {};
  let left = Object.keys(milestones).length;
  performance.setResourceTimingBufferSize(100000);
  const check = () => {
    for (const [name, ready] of Object.entries(milestones)) {
      if (name in found) continue;
      let ok = false;
      try { ok = !!ready(); } catch (e) { ok = false; }
      if (!ok) continue;
      found[name] = performance.now();
      requestAnimationFrame(() => {
        painted[name] = performance.now();
        if (--left === 0) console.info("__bench_done " + JSON.stringify({found, painted}));
      });
    }
    if (Object.keys(found).length === Object.keys(milestones).length) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true, attributes: true});
  const poll = () => {
    check();
    if (Object.keys(found).length < Object.keys(milestones).length) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();
"""


def watcher(target: dict[str, str]) -> str:
    bodies = {name: target[name] for name in ("ready", "complete") if target.get(name)}
    source = ", ".join(f"{json.dumps(n)}: () => {{ {body} }}" for n, body in bodies.items())
    return WATCHER.replace("/*MILESTONES*/", "{" + source + "}")


def is_done(message: Any) -> bool:
    return bool(message.text.startswith(DONE + " "))


def goto_and_wait(page: Any, url: str) -> dict[str, float]:
    """Navigate, wait for the watcher's console message and return its figures."""
    start = time.perf_counter()
    with page.expect_console_message(is_done, timeout=TIMEOUT_MS) as message:
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    wall_ms = (time.perf_counter() - start) * 1000
    marks = json.loads(message.value.text[len(DONE) + 1 :])
    result = {"ms": marks["painted"]["ready"], "found_ms": marks["found"]["ready"]}
    if "complete" in marks["painted"]:
        result["complete_ms"] = marks["painted"]["complete"]
    return {**result, "wall_ms": wall_ms}


def record_external(page: Any, external: list[str]) -> None:
    def on_request(request: Any) -> None:
        url = request.url
        if url.startswith("http") and url.split("/")[2].split(":")[0] not in LOOPBACK_HOSTS:
            external.append(url)

    page.on("request", on_request)


def cold_load(browser: Any, url: str, script: str, external: list[str]) -> dict[str, float]:
    """One navigation in a fresh context."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        record_external(page, external)
        page.add_init_script(script)
        return goto_and_wait(page, url)
    finally:
        context.close()


def warm_loads(browser: Any, url: str, script: str, n: int, external: list[str]) -> list[dict]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        record_external(page, external)
        page.add_init_script(script)
        samples = []
        for _ in range(n + 1):  # the first load only fills the cache with every lazy chunk
            page.goto("about:blank")
            samples.append(goto_and_wait(page, url))
        return samples[1:]
    finally:
        context.close()


def summary(samples: list[dict[str, float]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ms": statistics.median(s["ms"] for s in samples),
        "wall_ms": statistics.median(s["wall_ms"] for s in samples),
        "min_ms": min(s["ms"] for s in samples),
        "max_ms": max(s["ms"] for s in samples),
    }
    if all("complete_ms" in s for s in samples):
        out["complete_ms"] = statistics.median(s["complete_ms"] for s in samples)
    return {**out, "samples": samples}


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    external: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[*CHROMIUM_FLAGS, NO_NETWORK_FLAG],
            headless=True,
        )
        try:
            for target in spec["targets"]:
                url = spec["base"].rstrip("/") + "/" + target["path"]
                script = watcher(target)
                entry: dict[str, Any] = {"url": url}
                entry["warmup"] = cold_load(browser, url, script, external)
                samples = [
                    cold_load(browser, url, script, external) for _ in range(spec["navigations"])
                ]
                entry["cold"] = summary(samples)
                if spec.get("warm") and target.get("warm", True):
                    n = spec["navigations"]
                    entry["warm"] = summary(warm_loads(browser, url, script, n, external))
                results[target["name"]] = entry
        finally:
            browser.close()
    return {"targets": results, "external_requests": sorted(set(external))[:20]}


def main(argv: list[str]) -> None:
    spec = json.loads(argv[0])
    print(RESULT_PREFIX + json.dumps(measure(spec)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
