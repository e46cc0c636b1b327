"""Performance figures of the built site, side by side in one run (`make bench`). Not tests: numbers.

In headless Chromium against nginx running deploy/nginx.conf:
  text page   bytes transferred (compressed) and requests for a text page; no Pyodide byte
  (a)         bare Pyodide boot in a module worker from the vendored files, cold and warm profile
  (b)         checklist widget from first interaction to `ready`, cold and warm; ratio (b)/(a)
  (c)         interaction round trip (tick → progress updated in the DOM), p50 and p95
  (d)         main-thread long tasks (> 50 ms) during the widget's boot
  (e)         bytes transferred for the widget page, before and after the runtime
  (f)         tool page (the classifier) without interaction: page load -> `ready` (Python starts when the
              page is idle), cold and warm
  (g)         tool page: first answer given 3 s after load -> its result shown (the result region differs
              from what it showed before the answer), cold and warm
  (h)         tool page, first visit under CDP network emulation (10 Mbit/s down): navigation -> `ready`
  (i)         register with 30 systems (a DPO's inventory): a filter changed -> the list redrawn, p50 and p95
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
TOOL_PAGE = "nl/classifier.html"
TOOL_FIRST_ANSWER = 'input[name="q:art3.1"][value="y"]'
ANSWER_AFTER_S = 3.0
REGISTER_PAGE = "en/register.html"
REGISTER_SYSTEMS = 30
# A reader stays on the page after `ready`: long enough for what the worker fetches then for the next visit
# (the Pyodide snapshot, tools/site_assets.py).
STAY_S = 2.0

LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({type: "longtask", buffered: true});
"""


def bench_site(tmp: Path) -> Path:
    """A copy of the built site plus the bench's own worker (a copy: on a shared machine another build may
    replace _build/html, and its wheel, during the run)."""
    tmp.chmod(0o755)  # nginx's workers (not root) must be able to walk into it (tmp is under /tmp)
    root = tmp / "site"
    # BENCH_SNAPSHOT=0 leaves out the Pyodide snapshot (the figures "before" it: the worker then boots normally).
    skip = ["*.pdf"] + (["*.snapshot", "*.snapshot.*"] if os.environ.get("BENCH_SNAPSHOT") == "0" else [])
    shutil.copytree(SITE, root, ignore=shutil.ignore_patterns(*skip))
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
    time.sleep(STAY_S)
    result = {"ms": timing[1] - timing[0], "long_tasks_ms": [round(d, 1) for _, d in long_tasks],
              "bytes_before": before, "bytes_after": transferred(requests)}
    page.close()
    return result


# On a tool page: when the widget turned `ready`, in page time. The visit starts without saved work (the
# warm visit too: the profile keeps its HTTP cache, not the answers of the visit before).
TOOL_TIMES = """
try { localStorage.clear(); } catch {}
window.__aigov = {ready: null};
document.addEventListener("DOMContentLoaded", () => {
  const widget = document.querySelector("[data-aigov-widget]");
  const seen = () => { if (widget.dataset.aigovState === "ready") window.__aigov.ready ??= performance.now(); };
  new MutationObserver(seen).observe(widget, {attributes: true, attributeFilter: ["data-aigov-state"]});
});
"""


THROTTLE = {"offline": False, "latency": 20, "downloadThroughput": 10_000_000 / 8, "uploadThroughput": 5_000_000 / 8}


def tool_page_ready(context, server, throttle: bool = False) -> dict:
    """(f) The classifier page, no interaction: navigation start / load event -> `ready`. With `throttle`
    (h): under CDP network emulation, 10 Mbit/s down, 5 up, 20 ms latency."""
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLE)
    page.add_init_script(TOOL_TIMES)
    page.goto(server.url(TOOL_PAGE), wait_until="load")
    wait_state(page, "ready")
    ready, load = page.evaluate(
        "() => [window.__aigov.ready, performance.getEntriesByType('navigation')[0].loadEventEnd]")
    time.sleep(STAY_S)
    page.close()
    return {"from_navigation_ms": ready, "from_load_ms": ready - load}


def tool_first_answer(context, server) -> dict:
    """(g) The classifier page: the first answer, given 3 s after the load event -> its result shown."""
    page = context.new_page()
    page.add_init_script(TOOL_TIMES)
    page.goto(server.url(TOOL_PAGE), wait_until="load")
    load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    now = page.evaluate("() => performance.now()")
    time.sleep(max(0.0, ANSWER_AFTER_S - (now - load) / 1000))
    timing = page.evaluate("""async (selector) => {
      const widget = document.querySelector("[data-aigov-widget]");
      const region = widget.querySelector("[data-aigov-result]");
      const before = region.innerHTML;
      const readyBefore = widget.dataset.aigovState === "ready";
      const shown = new Promise((resolve) => {
        const check = () => {
          if (region.innerHTML !== before) { observer.disconnect(); resolve(performance.now()); }
        };
        const observer = new MutationObserver(check);
        observer.observe(region, {childList: true, subtree: true, characterData: true, attributes: true});
      });
      const answered = performance.now();
      widget.querySelector(selector).click();
      const done = await Promise.race([shown, new Promise((resolve) => setTimeout(() => resolve(null), 90000))]);
      return {answered, shown: done, readyBefore};
    }""", TOOL_FIRST_ANSWER)
    time.sleep(STAY_S)
    page.close()
    if timing["shown"] is None:
        raise TimeoutError("the first answer's result was never shown")
    return {"ms": timing["shown"] - timing["answered"], "answered_after_load_ms": timing["answered"] - load,
            "ready_before_answer": timing["readyBefore"]}


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


def thirty_systems() -> dict:
    """A register of REGISTER_SYSTEMS systems of every kind: high-risk (HR, with an approval), chatbots,
    provisional, not AI, retired."""
    kinds = [{"art3.1": True, "annexiii.4": True, "annexiii.4.a": True}, {"art3.1": True, "art50.1": True},
             {"art3.1": True, "annexiii.5": "unsure"}, {"art3.1": False}, {"art3.1": True}]
    systems = []
    for index in range(REGISTER_SYSTEMS):
        system = {"id": f"s{index}", "name": f"System {index:02d}", "purpose": "A purpose", "department": f"D{index % 4}",
                  "status": ("planned", "pilot", "in_use", "retired")[index % 4], "answers": kinds[index % len(kinds)],
                  "context": {"role": "deployer", "public_body": True}}
        if index % 5 == 0:
            system["approval"] = {"decision": "approved", "date": "2026-10-01"}
        systems.append(system)
    return {"format": "aigov-register", "version": 1, "organisation": {"name": "Bench"}, "systems": systems}


def register_round_trips(context, server, count: int = 12) -> list[float]:
    page = context.new_page()
    page.goto(server.url(REGISTER_PAGE))
    wait_state(page, "ready")
    storage = page.get_attribute("[data-aigov-widget]", "data-aigov-storage")
    library = {"version": 1, "current": "b", "entries": [{"id": "b", "name": "bench", "updated": "2026-12-06",
                                                           "rules": "", "state": {"register": thirty_systems()}}]}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [f"{storage}.saved", json.dumps(library)])
    page.reload()
    wait_state(page, "ready")
    page.focus("[name='view:tier']")
    page.wait_for_selector(".aigov-register-systems", timeout=60_000)
    samples = page.evaluate("""async (count) => {
      const select = document.querySelector("[name='view:tier']");
      const result = document.querySelector("#aigov-register-result");
      const samples = [];
      for (let i = 0; i < count; i++) {
        const changed = new Promise((resolve) => {
          const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
          observer.observe(result, {childList: true, subtree: true, characterData: true});
        });
        const started = performance.now();
        select.value = i % 2 ? "" : "high_risk";
        select.dispatchEvent(new Event("change", {bubbles: true}));
        samples.push((await changed) - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return samples;
    }""", count)
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
    results: dict = {"runs": RUNS, "date": time.strftime("%Y-%m-%d %H:%M"),
                     "snapshot": os.environ.get("BENCH_SNAPSHOT") != "0"}
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
                cold_tool, warm_tool, cold_answer, warm_answer, throttled_tool = [], [], [], [], []
                for run in range(RUNS):
                    context = profile(f"tool-{run}")
                    cold_tool.append(tool_page_ready(context, server))
                    warm_tool.append(tool_page_ready(context, server))
                    context.close()
                    context = profile(f"throttled-{run}")
                    throttled_tool.append(tool_page_ready(context, server, throttle=True))
                    context.close()
                    context = profile(f"answer-{run}")
                    cold_answer.append(tool_first_answer(context, server))
                    warm_answer.append(tool_first_answer(context, server))
                    context.close()
                context = profile("trips")
                trips = round_trips(context, server)
                context.close()
                context = profile("register")
                register_trips = register_round_trips(context, server)
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
    results["i_register_30_round_trip_ms"] = {"p50": round(percentile(register_trips, 0.5), 1),
                                              "p95": round(percentile(register_trips, 0.95), 1),
                                              "samples": len(register_trips)}
    all_long = [d for r in cold_widget + warm_widget for d in r["long_tasks_ms"]]
    results["d_long_tasks_ms"] = {"count": len(all_long), "max": max(all_long, default=0)}
    results["e_widget_page_bytes"] = {"before_interaction": cold_widget[0]["bytes_before"],
                                      "after_ready_cold": cold_widget[0]["bytes_after"],
                                      "after_ready_warm": warm_widget[0]["bytes_after"]}
    def spread(values):
        return [round(min(values), 1), round(max(values), 1)]

    results["f_tool_page_ready_ms"] = {
        kind: {"from_load": median([r["from_load_ms"] for r in runs]),
               "from_load_min_max": spread([r["from_load_ms"] for r in runs]),
               "from_navigation": median([r["from_navigation_ms"] for r in runs])}
        for kind, runs in (("cold", cold_tool), ("warm", warm_tool))}
    results["h_throttled_first_visit_ready_ms"] = {
        "from_navigation": median([r["from_navigation_ms"] for r in throttled_tool]),
        "from_navigation_min_max": spread([r["from_navigation_ms"] for r in throttled_tool]),
        "from_load": median([r["from_load_ms"] for r in throttled_tool])}
    results["g_first_answer_at_3s_ms"] = {
        kind: {"median": median([r["ms"] for r in runs]), "min_max": spread([r["ms"] for r in runs]),
               "ready_before_answer": sum(r["ready_before_answer"] for r in runs), "of": len(runs)}
        for kind, runs in (("cold", cold_answer), ("warm", warm_answer))}
    results["spread_min_max_ms"] = {
        "a_cold": spread(cold_bare), "a_warm": spread(warm_bare),
        "b_cold": spread([r["ms"] for r in cold_widget]), "b_warm": spread([r["ms"] for r in warm_widget])}
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
    f, g = results["f_tool_page_ready_ms"], results["g_first_answer_at_3s_ms"]
    print(f"(f) tool page {TOOL_PAGE}, no interaction, load -> ready: cold {f['cold']['from_load']} ms "
          f"{f['cold']['from_load_min_max']}, warm {f['warm']['from_load']} ms {f['warm']['from_load_min_max']} "
          f"(from navigation start: cold {f['cold']['from_navigation']}, warm {f['warm']['from_navigation']})")
    print(f"(g) first answer {ANSWER_AFTER_S:g} s after load -> result shown: cold {g['cold']['median']} ms "
          f"{g['cold']['min_max']} (ready before the answer in {g['cold']['ready_before_answer']}/{g['cold']['of']}), "
          f"warm {g['warm']['median']} ms {g['warm']['min_max']} "
          f"(ready before in {g['warm']['ready_before_answer']}/{g['warm']['of']})")
    i = results["i_register_30_round_trip_ms"]
    print(f"(i) register with {REGISTER_SYSTEMS} systems, filter changed -> list redrawn: p50 {i['p50']} ms, "
          f"p95 {i['p95']} ms over {i['samples']}")
    h = results["h_throttled_first_visit_ready_ms"]
    print(f"(h) tool page, first visit at 10 Mbit/s, navigation start -> ready: {h['from_navigation']} ms "
          f"{h['from_navigation_min_max']} (load -> ready {h['from_load']} ms)")
    print(f"spread [min, max] ms: {results['spread_min_max_ms']}")
    print(f"Lighthouse mobile, {TEXT_PAGE}: {results['lighthouse_mobile'] or 'not installed (make bench installs it)'}")
    print(f"written to {out_dir / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
