"""Performance figures of the built site, side by side in one run (`make bench`). Not tests: numbers.

In headless Chromium against nginx running deploy/nginx.conf:
  text page   bytes transferred (compressed) and requests for a text page; no Pyodide byte
  (a)         bare Pyodide boot in a module worker from the vendored files, cold and warm profile
  (b)         checklist widget from first interaction to `ready`, cold and warm; ratio (b)/(a)
  (c)         interaction round trip (tick → progress updated in the DOM), p50 and p95
  (d)         main-thread long tasks (> 50 ms) during the widget's boot
  (e)         bytes transferred for the widget page, before and after the runtime
  Lighthouse  mobile performance and accessibility of a text page (when bench/node_modules has it)

Writes bench/results/latest.json and prints a table.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, SITE, NginxServer  # noqa: E402
from tools import site_assets  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
ROUND_TRIPS = 60
TEXT_PAGE = "nl/roles.html"
WIDGET_PAGE = "nl/checklist.html"
FIRST = 'input[name="done:identification.inventory"]'

LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({type: "longtask", buffered: true});
"""


def bench_site(tmp: Path) -> Path:
    """The built site plus the bench's own worker, as symlinks (nothing is copied)."""
    tmp.chmod(0o755)  # nginx's workers (not root) must be able to walk into it (tmp is under /tmp)
    root = tmp / "site"
    root.mkdir()
    for entry in SITE.iterdir():
        (root / entry.name).symlink_to(entry)
    (root / "_bench").mkdir()
    shutil.copy(Path(__file__).with_name("boot-worker.mjs"), root / "_bench" / "boot-worker.mjs")
    return root


def transferred(page_requests: list) -> int:
    total = 0
    for request in page_requests:
        try:
            sizes = request.sizes()
        except Exception:  # noqa: BLE001 - a request still in flight has no sizes
            continue
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def wait_state(page, wanted: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while page.get_attribute("[data-aigov-widget]", "data-aigov-state") != wanted:
        if time.monotonic() > deadline:
            raise TimeoutError(wanted)
        time.sleep(0.01)


def bare_boot(context, server, pyodide_dir: str) -> float:
    page = context.new_page()
    page.goto(server.url(TEXT_PAGE))
    ms = page.evaluate("""async (indexURL) => {
      const started = performance.now();
      const worker = new Worker(new URL("../_bench/boot-worker.mjs", location.href), {type: "module"});
      const result = await new Promise((resolve, reject) => {
        worker.addEventListener("message", (event) => resolve(event.data));
        worker.addEventListener("error", (event) => reject(new Error(`bench worker: ${event.message}`)));
        worker.postMessage({indexURL});
      });
      worker.terminate();
      return performance.now() - started;
    }""", server.url(pyodide_dir))
    page.close()
    return ms


def open_recorded(context, url: str, init_script: str | None = None) -> tuple:
    """Open `url` in a new page that records its finished requests: (page, requests)."""
    page = context.new_page()
    requests: list = []
    page.on("requestfinished", lambda request: requests.append(request))
    if init_script:
        page.add_init_script(init_script)
    page.goto(url, wait_until="load")
    time.sleep(0.3)
    return page, requests


def widget_boot(context, server) -> dict:
    page, requests = open_recorded(context, server.url(WIDGET_PAGE), LONG_TASKS)
    before = transferred(requests)
    page.evaluate("""() => {
      const widget = document.querySelector("[data-aigov-widget]");
      window.__touched = null; window.__ready = null;
      widget.addEventListener("pointerdown", () => { window.__touched ??= performance.now(); }, {capture: true});
      new MutationObserver(() => {
        if (widget.dataset.aigovState === "ready") window.__ready ??= performance.now();
      }).observe(widget, {attributes: true, attributeFilter: ["data-aigov-state"]});
    }""")
    page.click(FIRST)
    wait_state(page, "ready")
    timing = page.evaluate("() => [window.__touched, window.__ready]")
    long_tasks = page.evaluate("() => window.__longTasks.filter(([start]) => start >= window.__touched)")
    time.sleep(0.3)
    result = {"ms": timing[1] - timing[0], "long_tasks_ms": [round(d, 1) for _, d in long_tasks],
              "bytes_before": before, "bytes_after": transferred(requests)}
    page.close()
    return result


def round_trips(context, server) -> list[float]:
    page = context.new_page()
    page.goto(server.url(WIDGET_PAGE))
    page.click(FIRST)
    wait_state(page, "ready")
    time.sleep(0.5)
    samples = page.evaluate("""async (count) => {
      const box = document.querySelector('input[name="done:identification.purpose"]');
      const result = document.querySelector(".aigov-result");
      const samples = [];
      for (let i = 0; i < count; i++) {
        const changed = new Promise((resolve) => {
          const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
          observer.observe(result, {childList: true, subtree: true, characterData: true});
        });
        const started = performance.now();
        box.click();
        samples.push((await changed) - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return samples;
    }""", ROUND_TRIPS)
    page.close()
    return samples


def text_page_weight(context, server) -> dict:
    page, requests = open_recorded(context, server.url(TEXT_PAGE))
    urls = [request.url for request in requests]
    weight = {"bytes": transferred(requests), "requests": len(urls),
              "runtime_requests": [url for url in urls if "_runtime" in url]}
    page.close()
    return weight


def lighthouse(server) -> dict | None:
    binary = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return None
    out = Path(tempfile.mkdtemp()) / "lh.json"
    flags = " ".join(["--headless=new"] + CHROMIUM_ARGS)
    command = [str(binary), server.url(TEXT_PAGE), "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=performance,accessibility,best-practices", f"--chrome-flags={flags}"]
    completed = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True,
                               text=True, timeout=300)
    if completed.returncode != 0 or not out.exists():
        return {"error": completed.stderr[-500:]}
    report = json.loads(out.read_text())
    scores = {key: round(value["score"] * 100) for key, value in report["categories"].items()}
    scores["fcp_ms"] = round(report["audits"]["first-contentful-paint"]["numericValue"])
    scores["lcp_ms"] = round(report["audits"]["largest-contentful-paint"]["numericValue"])
    return scores


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    from playwright.sync_api import sync_playwright

    pyodide_dir = site_assets.runtime_paths(site_assets.build_wheel())["pyodide"]
    results: dict = {"runs": RUNS, "date": time.strftime("%Y-%m-%d %H:%M")}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server = NginxServer(bench_site(tmp), tmp / "nginx")
        try:
            with sync_playwright() as playwright:
                def profile(name: str):
                    return playwright.chromium.launch_persistent_context(
                        str(tmp / name), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

                context = profile("weight")
                results["text_page"] = text_page_weight(context, server)
                context.close()
                cold_bare, cold_widget, warm_bare, warm_widget = [], [], [], []
                for run in range(RUNS):
                    # Cold: a fresh profile per measurement. Warm: the same profile's second visit (disk cache).
                    context = profile(f"bare-{run}")
                    cold_bare.append(bare_boot(context, server, pyodide_dir))
                    warm_bare.append(bare_boot(context, server, pyodide_dir))
                    context.close()
                    context = profile(f"widget-{run}")
                    cold_widget.append(widget_boot(context, server))
                    warm_widget.append(widget_boot(context, server))
                    context.close()
                context = profile("trips")
                trips = round_trips(context, server)
                context.close()
        finally:
            server.stop()
        results["lighthouse_mobile"] = lighthouse(NginxServer(SITE, tmp / "nginx-lh"))

    def median(values):
        return round(statistics.median(values), 1)

    results["a_bare_boot_ms"] = {"cold": median(cold_bare), "warm": median(warm_bare)}
    results["b_widget_ready_ms"] = {"cold": median([r["ms"] for r in cold_widget]),
                                    "warm": median([r["ms"] for r in warm_widget])}
    results["b_over_a"] = {kind: round(results["b_widget_ready_ms"][kind] / results["a_bare_boot_ms"][kind], 3)
                           for kind in ("cold", "warm")}
    results["c_round_trip_ms"] = {"p50": round(percentile(trips, 0.5), 2), "p95": round(percentile(trips, 0.95), 2),
                                  "samples": len(trips)}
    all_long = [d for r in cold_widget + warm_widget for d in r["long_tasks_ms"]]
    results["d_long_tasks_ms"] = {"count": len(all_long), "max": max(all_long, default=0)}
    results["e_widget_page_bytes"] = {"before_interaction": cold_widget[0]["bytes_before"],
                                      "after_ready_cold": cold_widget[0]["bytes_after"],
                                      "after_ready_warm": warm_widget[0]["bytes_after"]}
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")

    text = results["text_page"]
    print(f"text page {TEXT_PAGE}: {text['bytes'] / 1024:.0f} KB transferred in {text['requests']} requests, "
          f"{len(text['runtime_requests'])} runtime requests (budget 500 KB, 0 runtime)")
    print(f"(a) bare Pyodide boot, median of {RUNS}: cold {results['a_bare_boot_ms']['cold']} ms, "
          f"warm {results['a_bare_boot_ms']['warm']} ms")
    print(f"(b) widget first interaction -> ready: cold {results['b_widget_ready_ms']['cold']} ms, "
          f"warm {results['b_widget_ready_ms']['warm']} ms; (b)/(a) cold {results['b_over_a']['cold']}, "
          f"warm {results['b_over_a']['warm']} (target <= 1.15)")
    print(f"(c) round trip over {len(trips)} ticks: p50 {results['c_round_trip_ms']['p50']} ms, "
          f"p95 {results['c_round_trip_ms']['p95']} ms (target p95 <= 16 ms)")
    print(f"(d) main-thread long tasks during boot: {results['d_long_tasks_ms']['count']}, "
          f"longest {results['d_long_tasks_ms']['max']} ms (target: none over 50 ms)")
    e = results["e_widget_page_bytes"]
    print(f"(e) widget page: {e['before_interaction'] / 1024:.0f} KB before interaction, "
          f"{e['after_ready_cold'] / 1024:.0f} KB after ready (cold), {e['after_ready_warm'] / 1024:.0f} KB (warm)")
    print(f"Lighthouse mobile, {TEXT_PAGE}: {results['lighthouse_mobile'] or 'not installed (make bench installs it)'}")
    print(f"written to {out_dir / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
