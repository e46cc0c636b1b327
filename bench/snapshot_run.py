"""Item 10 "Faster": does a Pyodide memory snapshot make the tools start faster? (`python bench/snapshot_run.py`)

Builds a snapshot in Node (bench/snapshot.mjs: Pyodide booted, our wheel unpacked, every tool prepared,
`makeMemorySnapshot()`), precompresses it (.gz, .br) next to a bench-only worker (bench/snapshot-worker.mjs)
and times, in headless Chromium against nginx running deploy/nginx.conf, a module worker from creation
until it answered one request, with and without the snapshot:
  cold        a first visit (fresh profile)
  warm        the same profile's second visit (HTTP disk cache)
  throttled   a first visit under CDP network emulation (10 Mbit/s down, 5 Mbit/s up, 20 ms latency)
Writes bench/results/snapshot.json and prints medians with [min, max]. Not part of `make bench`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import TEXT_PAGE, bench_site, transferred  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, SITE, NginxServer  # noqa: E402
from tools import site_assets  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
THROTTLE = {"offline": False, "latency": 20, "downloadThroughput": 10_000_000 / 8, "uploadThroughput": 5_000_000 / 8}
CACHE = Path(tempfile.gettempdir()) / "aigov-snapshot-cache"
KINDS = ["classifier"]


def make_snapshot(wheel: tuple[str, bytes]) -> dict[str, Path]:
    """The snapshot for this wheel and its .gz/.br (kept in a cache folder named by the wheel's hash)."""
    digest = hashlib.sha256(wheel[1]).hexdigest()[:16]
    folder = CACHE / digest
    raw = folder / "snapshot.bin"
    if not (raw.with_name("snapshot.bin.br")).exists():
        folder.mkdir(parents=True, exist_ok=True)
        wheel_file = folder / wheel[0]
        wheel_file.write_bytes(wheel[1])
        made = subprocess.run(["node", str(ROOT / "bench" / "snapshot.mjs"), str(site_assets.PYODIDE_NPM),
                               str(wheel_file), str(raw)], capture_output=True, text=True, check=True)
        print("snapshot made in Node:", made.stdout.strip())
        import brotli
        data = raw.read_bytes()
        raw.with_name("snapshot.bin.gz").write_bytes(gzip.compress(data, 9, mtime=0))
        started = time.monotonic()
        raw.with_name("snapshot.bin.br").write_bytes(brotli.compress(data, quality=11))
        print(f"brotli 11 of the snapshot: {time.monotonic() - started:.0f} s")
    return {"digest": digest, "raw": raw}


def boot(context, server, paths: dict, snapshot_url: str | None, throttle: bool) -> dict:
    page = context.new_page()
    requests: list = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(server.url(TEXT_PAGE))
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLE)
    before = transferred(requests)
    result = page.evaluate("""async (message) => {
      const started = performance.now();
      const worker = new Worker(new URL("../_bench/snapshot-worker.mjs", location.href), {type: "module"});
      const result = await new Promise((resolve, reject) => {
        worker.addEventListener("message", (event) => resolve(event.data));
        worker.addEventListener("error", (event) => reject(new Error(`bench worker: ${event.message}`)));
        worker.postMessage(message);
      });
      worker.terminate();
      return {...result, outer_ms: performance.now() - started};
    }""", {"pyodide": server.url(paths["pyodide"]), "wheel": server.url(paths["wheel"]), "kinds": KINDS,
           "snapshot": snapshot_url})
    time.sleep(0.3)
    result["bytes"] = transferred(requests) - before
    page.close()
    if result.get("ms") is None or not result.get("answered"):
        raise RuntimeError(f"boot failed: {result}")
    return result


def main() -> int:
    from playwright.sync_api import sync_playwright

    # The wheel the built site serves (the sources may have moved on since the build).
    wheels = sorted((SITE / site_assets.RUNTIME_DIR / "aigov").glob("*/*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in the built site, found {wheels}: build the site first")
    wheel = (wheels[0].name, wheels[0].read_bytes())
    paths = {"pyodide": site_assets.runtime_paths(wheel)["pyodide"]}
    snapshot = make_snapshot(wheel)
    samples: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = bench_site(tmp)
        (root / "_bench" / "snapshot-worker.mjs").write_bytes((ROOT / "bench" / "snapshot-worker.mjs").read_bytes())
        target = root / "_bench" / "_runtime" / snapshot["digest"]  # under _runtime: cached for a year
        target.mkdir(parents=True)
        for name in ("snapshot.bin", "snapshot.bin.gz", "snapshot.bin.br"):
            (target / name).symlink_to(snapshot["raw"].with_name(name))
        # A copy of the wheel next to it: another build may replace the site's wheel during the run.
        (target / wheel[0]).write_bytes(wheel[1])
        paths["wheel"] = f"_bench/_runtime/{snapshot['digest']}/{wheel[0]}"
        server = NginxServer(root, tmp / "nginx")
        snapshot_url = server.url(f"_bench/_runtime/{snapshot['digest']}/snapshot.bin")
        try:
            with sync_playwright() as playwright:
                def profile(name: str):
                    return playwright.chromium.launch_persistent_context(
                        str(tmp / name), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

                def record(key: str, value: dict) -> None:
                    samples.setdefault(key, []).append(value)

                for run in range(RUNS):
                    for label, url in (("without", None), ("with", snapshot_url)):
                        context = profile(f"{label}-{run}")
                        record(f"{label}_cold", boot(context, server, paths, url, False))
                        record(f"{label}_warm", boot(context, server, paths, url, False))
                        context.close()
                        context = profile(f"{label}-throttled-{run}")
                        record(f"{label}_throttled", boot(context, server, paths, url, True))
                        context.close()
        finally:
            server.stop()

    summary = {}
    for key, values in samples.items():
        ms = [value["ms"] for value in values]
        summary[key] = {"median_ms": round(statistics.median(ms)), "min_max_ms": [round(min(ms)), round(max(ms))],
                        "python_median_ms": round(statistics.median(value["marks"]["python"] for value in values)),
                        "bytes": round(statistics.median(value["bytes"] for value in values)),
                        "snapshot_used": sum(bool(value.get("used")) for value in values), "of": len(values),
                        "fallbacks": [value["marks"]["fallback"] for value in values if "fallback" in value["marks"]]}
    raw = snapshot["raw"]
    summary["snapshot_bytes"] = {suffix or "raw": raw.with_name(raw.name + suffix).stat().st_size
                                 for suffix in ("", ".gz", ".br")}
    summary["runs"] = RUNS
    summary["date"] = time.strftime("%Y-%m-%d %H:%M")
    out = ROOT / "bench" / "results" / "snapshot.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "samples": samples}, indent=2), encoding="utf-8")
    print(f"snapshot: {summary['snapshot_bytes']} bytes (raw, gzip 9, brotli 11)")
    for key in ("without_cold", "with_cold", "without_warm", "with_warm", "without_throttled", "with_throttled"):
        s = summary[key]
        print(f"{key:18} ready {s['median_ms']:6} ms {s['min_max_ms']}, Python {s['python_median_ms']} ms, "
              f"{s['bytes'] / 1024:.0f} KB transferred, snapshot used {s['snapshot_used']}/{s['of']}"
              + (f", fallbacks {s['fallbacks']}" if s["fallbacks"] else ""))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
