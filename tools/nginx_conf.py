"""Run the site with deploy/nginx.conf: the configuration an institution deploys is the one we test.

Only three things change: `root`, `listen`, and the `# brotli` lines when the brotli module is not
installed. The rendered file sits next to copies of the files it includes.

Usage: python tools/nginx_conf.py serve [--root _build/html] [--port 8000]
       python tools/nginx_conf.py check    (nginx -t on the rendered file: syntax, modules, includes)
       python tools/nginx_conf.py print
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def render(root: Path, port: int, host: str = "127.0.0.1") -> str:
    """deploy/nginx.conf with our root and port (and without brotli if its module is missing)."""
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    text, roots = re.subn(r"(?m)^(\s*)root\s+[^;]+;", lambda m: f"{m.group(1)}root {root.resolve()};", text)
    text, listens = re.subn(r"(?m)^(\s*)listen\s+[^;]+;", lambda m: f"{m.group(1)}listen {host}:{port};", text)
    if roots != 1 or listens != 1:
        raise ValueError("deploy/nginx.conf must have exactly one `root` and one `listen` line")
    if not BROTLI_MODULE.exists():
        text = "\n".join(line for line in text.splitlines() if not line.rstrip().endswith("# brotli")) + "\n"
    return text


def prepare(root: Path, port: int, workdir: Path) -> list[str]:
    """Write the rendered configuration into `workdir`; return the nginx command that runs it."""
    workdir.mkdir(parents=True, exist_ok=True)
    for include in DEPLOY.glob("*.conf"):
        if include.name != "nginx.conf":
            shutil.copy2(include, workdir / include.name)
    conf = workdir / "nginx.conf"
    conf.write_text(render(root, port), encoding="utf-8")
    # pid and error log go to the work directory, so nothing needs root's paths.
    return [NGINX, "-c", str(conf), "-e", str(workdir / "error.log"),
            "-g", f"daemon off; pid {workdir / 'nginx.pid'};"]


def check_command(command: list[str]) -> list[str]:
    """The `nginx -t` variant of a command from prepare(): test the configuration, start nothing."""
    return [*command[:-2], "-t", "-q", "-g", command[-1].replace("daemon off; ", "")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["serve", "check", "print"])
    parser.add_argument("--root", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if args.command == "print":
        print(render(args.root, args.port), end="")
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="aigov-nginx-"))
    command = prepare(args.root, args.port, workdir)
    if args.command == "check":
        return subprocess.call(check_command(command))
    print(f"Serving {args.root} with deploy/nginx.conf on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
