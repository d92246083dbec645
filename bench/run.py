#!/usr/bin/env python3
"""eidpl's benchmark harness: builds what is missing, writes the shared inputs, checks that every
verifier really verifies, runs every runner (Rust, Python, Node, samael) in interleaved rounds,
and writes bench/results.json and docs/PERFORMANCE.md with medians and ratios from this one run.

    make bench                       # = scripts/install-bench-deps.sh + python3 bench/run.py
    BENCH_QUICK=1 make bench         # fewer repetitions, no 500 MB document (development)
    python3 bench/run.py --help

Environment: BENCH_QUICK=1, BENCH_REPS (timed passes per runner process), BENCH_ROUNDS (how
often the whole set of runners is repeated, interleaved), BENCH_PZ_SIZES (MB, comma separated),
BENCH_MESSAGES (WK messages per pass), BENCH_PZ_TIMEOUT (seconds per PZ verification).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")).resolve()
INPUTS = TARGET / "bench" / "inputs"
VENV = TARGET / "bench-venv"
NODE_DIR = TARGET / "bench-node"
SAMAEL_TARGET = TARGET / "bench-samael"
RESULTS = ROOT / "bench" / "results.json"
REPORT = ROOT / "docs" / "PERFORMANCE.md"
CARGO = os.environ.get("CARGO", "cargo")
PYTHON = os.environ.get("PYTHON", "python3")

WK_SIG_NOTE = "parse + both enveloped ECDSA signatures (ArtifactResponse and Response), pinned certificate"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sh(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None, check: bool = True, quiet: bool = False) -> subprocess.CompletedProcess:
    log("$ " + " ".join(shlex.quote(str(c)) for c in cmd))
    full_env = dict(os.environ, **(env or {}))
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=full_env, capture_output=True, text=True)
    if not quiet and p.stderr.strip():
        sys.stderr.write(p.stderr[-4000:])
    if check and p.returncode != 0:
        raise RuntimeError(f"command failed ({p.returncode}): {' '.join(map(str, cmd))}\n{p.stderr[-4000:]}")
    return p


def tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# --- building -----------------------------------------------------------------------------------


def build_rust() -> None:
    sh([CARGO, "build", "--release", "--locked", "-q", "-p", "eidpl-bench"], cwd=ROOT)
    sh([CARGO, "build", "--release", "--locked", "-q", "-p", "eidpl", "--example", "profile_wk_full"], cwd=ROOT)


# --- instruction counts -------------------------------------------------------------------------

# Modes of core/examples/profile_wk_full.rs: one generated WK answer validated (replay check off),
# its crypto floor, and the parse of it alone.
INSTRUCTION_MODES = {"full": [], "floor": ["floor"], "parse": ["parse"]}


# What cachegrind prints for each counter (its summary on stderr).
CACHEGRIND_COUNTERS = {
    "instructions": r"I\s+refs:\s+([\d,]+)",
    "mispredicts": r"Mispredicts:\s+([\d,]+)",
    "d1_misses": r"D1\s+misses:\s+([\d,]+)",
}


def instruction_counts() -> dict:
    """Instructions, branch mispredictions and first-level data-cache misses per operation under
    cachegrind's simulation, which do not depend on the machine's load: each mode runs with two
    counts and the difference is divided out, so the set-up cancels. The mispredictions and misses
    are a model of the CPU, not its counters; they show where time goes that instructions miss."""
    exe = TARGET / "release" / "examples" / "profile_wk_full"
    if shutil.which("valgrind") is None or not exe.exists():
        return {"error": "valgrind or target/release/examples/profile_wk_full missing"}
    lo, hi = 40, 120
    tool = ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--branch-sim=yes"]
    out: dict = {"runs": [lo, hi], "tool": " ".join(tool), "mispredicts": {}, "d1_misses": {}}
    for mode, extra in INSTRUCTION_MODES.items():
        counts: dict = {k: [] for k in CACHEGRIND_COUNTERS}
        for n in (lo, hi):
            p = sh([*tool, "--cachegrind-out-file=/dev/null", exe, str(n), *extra], check=False, quiet=True)
            found = {k: re.search(rx, p.stderr) for k, rx in CACHEGRIND_COUNTERS.items()}
            if p.returncode != 0 or not all(found.values()):
                return {"error": f"cachegrind {mode} {n}: exit {p.returncode}: {tail(p.stderr, 3)}"}
            for k, m in found.items():
                counts[k].append(int(m.group(1).replace(",", "")))
        per = {k: (v[1] - v[0]) / (hi - lo) for k, v in counts.items()}
        out[mode] = per["instructions"]
        out["mispredicts"][mode] = per["mispredicts"]
        out["d1_misses"][mode] = per["d1_misses"]
        log(f"cachegrind {mode}: {per['instructions']:,.0f} instructions, {per['mispredicts']:,.0f} branch mispredictions, "
            f"{per['d1_misses']:,.0f} D1 misses per operation")
    return out


# The core's entry point as callgrind names it inside each binding's library.
CORE_CALL = "eidpl::wk::response::<impl eidpl::wk::provider::ServiceProvider>::validate_artifact_response"


def binding_instruction_counts(builds: dict) -> dict:
    """Each binding's own cost per validation, in instructions: its runner validates the first
    40 and then 120 bench messages under callgrind, once counting everything and once only inside
    the core's `validate_artifact_response` (--toggle-collect); per message, the difference of the
    two is the binding (argument conversion, the result object, the interpreter's own work)."""
    if shutil.which("valgrind") is None:
        return {"error": "valgrind missing"}
    d = str(TARGET / "bench" / "inputs")
    cmds = {
        "eidpl-python": ([str(VENV / "bin" / "python"), str(ROOT / "bench" / "python" / "runner.py"), "wk-eidpl-count", d], None),
        "eidpl-node": (["node", str(ROOT / "bench" / "node" / "runner.js"), "wk-eidpl-node-count", d], node_env()),
    }
    out: dict = {}
    lo, hi = 40, 120
    for name, (cmd, env) in cmds.items():
        if not builds.get(name, {}).get("ok"):
            out[name] = {"error": "not built"}
            continue
        per: dict = {}
        for what, extra in (("total", []), ("core", [f"--toggle-collect={CORE_CALL}"])):
            refs = []
            for n in (lo, hi):
                p = sh(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *extra, *cmd, str(n)], env=env, check=False, quiet=True)
                m = re.search(r"refs:\s+([\d,]+)", p.stderr)
                if p.returncode != 0 or not m:
                    out[name] = {"error": f"callgrind {what} {n}: exit {p.returncode}: {tail(p.stderr, 3)}"}
                    break
                refs.append(int(m.group(1).replace(",", "")))
            else:
                per[what] = (refs[1] - refs[0]) / (hi - lo)
                continue
            break
        if len(per) == 2 and per["core"] > 0:
            t, c = per["total"], per["core"]
            out[name] = {"total": t, "core": c, "overhead": t / c - 1}
            log(f"instructions {name}: {t:,.0f} per validation, {c:,.0f} in the core ({(t / c - 1) * 100:+.1f}%)")
    return out


def build_venv(status: dict) -> None:
    req = ROOT / "bench" / "python" / "requirements.txt"
    stamp = VENV / (".req-" + hashlib.sha256(req.read_bytes()).hexdigest()[:12])
    if not stamp.exists():
        shutil.rmtree(VENV, ignore_errors=True)
        sh([PYTHON, "-m", "venv", VENV])
        sh([VENV / "bin" / "pip", "install", "-q", "--disable-pip-version-check", "-r", req])
        stamp.touch()
    wheels = TARGET / "bench-wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    sh(
        [VENV / "bin" / "maturin", "build", "-q", "--release", "--auditwheel", "skip", "-i", VENV / "bin" / "python",
         "-m", ROOT / "bindings" / "python" / "Cargo.toml", "-o", wheels],
        cwd=ROOT,
        quiet=True,
    )
    wheel = sorted(wheels.glob("eidpl-*.whl"))[-1]
    sh([VENV / "bin" / "pip", "install", "-q", "--disable-pip-version-check", "--force-reinstall", "--no-deps", wheel])
    status["eidpl-python"] = {"ok": True, "how": "maturin build --release (abi3 wheel)"}


def build_node(status: dict) -> None:
    src = ROOT / "bench" / "node"
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    lock = (src / "package-lock.json").read_bytes()
    stamp = NODE_DIR / (".lock-" + hashlib.sha256(lock).hexdigest()[:12])
    if not stamp.exists():
        for f in ("package.json", "package-lock.json"):
            shutil.copy(src / f, NODE_DIR / f)
        sh(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=NODE_DIR)
        stamp.touch()
    status["xml-crypto"] = {"ok": True}
    # The eidpl Node binding is built by its own make target; EIDPL_NODE_BUILD (a shell command)
    # runs first if set, EIDPL_NODE_BINDING points the runner at another build.
    if os.environ.get("EIDPL_NODE_BUILD"):
        sh(["sh", "-c", os.environ["EIDPL_NODE_BUILD"]], cwd=ROOT, check=False)
    binding = Path(os.environ.get("EIDPL_NODE_BINDING", ROOT / "bindings" / "node"))
    if not binding.exists():
        status["eidpl-node"] = {"ok": False, "error": f"binding not built ({binding.relative_to(ROOT) if binding.is_relative_to(ROOT) else binding} does not exist on this branch)"}
        return
    status["eidpl-node"] = {"ok": True, "path": str(binding)}
    if "EIDPL_NODE_BINDING" in os.environ or not (binding / "package.json").exists():
        return
    # The addon in release, with the flags of `make test-node` (its hand-written index.d.ts kept).
    if not (binding / "node_modules" / ".bin" / "napi").exists():
        sh(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=binding)
    p = sh(
        [binding / "node_modules" / ".bin" / "napi", "build", "--platform", "--release", "--no-js",
         "--dts", "native.d.ts", "--no-dts-header", "-p", "eidpl-node", "--", "--locked"],
        cwd=binding,
        env={"CARGO_TARGET_DIR": str(TARGET)},
        check=False,
        quiet=True,
    )
    if p.returncode != 0:
        status["eidpl-node"] = {"ok": False, "error": "build failed: " + tail(p.stderr, 15)}
    else:
        status["eidpl-node"]["how"] = "napi build --platform --release"


def build_samael(status: dict) -> None:
    p = sh(
        [CARGO, "build", "--release", "-q", "--manifest-path", ROOT / "bench" / "samael" / "Cargo.toml"],
        env={"CARGO_TARGET_DIR": str(SAMAEL_TARGET)},
        check=False,
        quiet=True,
    )
    if p.returncode == 0:
        status["samael"] = {"ok": True}
    else:
        status["samael"] = {"ok": False, "error": "build failed: " + tail(p.stderr, 15)}
        log("samael did not build; its column records the error")


# --- inputs -------------------------------------------------------------------------------------


def fixtures(messages: int, sizes: list[int]) -> None:
    gen = TARGET / "release" / "bench_fixtures"
    meta = INPUTS / "wk" / "messages.json"
    have = json.loads(meta.read_text())["messages"] if meta.exists() else []
    if len(have) != messages or not (INPUTS / "dsig" / "response-rsa.xml").exists():
        sh([gen, INPUTS, "--messages", str(messages), "--only", "wk,dsig"])
    missing = [mb for mb in sizes if not all((INPUTS / "pz" / n).exists() for n in (f"letter-{mb}MB.xml", f"letter-{mb}MB-enveloped.xml", f"anchors-{mb}MB.pem"))]
    if missing:
        log(f"writing PZ documents of {missing} MB (once; kept in {INPUTS / 'pz'})")
        sh([gen, INPUTS, "--only", "pz", "--pz", ",".join(map(str, missing))])


# --- running ------------------------------------------------------------------------------------


def run_child(cmd: list, timeout: float, env: dict | None = None) -> dict:
    """Runs a runner as a child process; returns its JSON lines, exit status, wall time and peak
    RSS (ru_maxrss of that child alone, via wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, env=dict(os.environ, **(env or {})))
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            p.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        lines = []
        for line in out.read().decode(errors="replace").splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    lines.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        return {
            "rc": p.returncode,
            "timed_out": timed_out.is_set(),
            "lines": lines,
            "stderr": err.read().decode(errors="replace"),
            "wall": wall,
            "max_rss_kb": usage.ru_maxrss,
        }


class Collector:
    def __init__(self) -> None:
        self.samples: dict[tuple[str, str], list[float]] = {}  # (case, impl) -> seconds per op
        self.status: dict[tuple[str, str], str] = {}
        self.runs: list[dict] = []

    def add(self, name: str, res: dict) -> None:
        for ln in res["lines"]:
            if "status" in ln:
                self.status[(ln["case"], ln["impl"])] = ln["status"]
            elif "ops" in ln and ln["ops"]:
                self.samples.setdefault((ln["case"], ln["impl"]), []).append(ln["seconds"] / ln["ops"])
        if res["rc"] != 0:
            why = f"did not finish in {res['wall']:.0f} s" if res["timed_out"] else f"exit {res['rc']}: {tail(res['stderr'], 6)}"
            self.runs.append({"runner": name, "error": why})
            log(f"{name}: {why}")


def runners(status: dict, reps: int) -> list[tuple[str, list]]:
    d = str(INPUTS)
    py = [str(VENV / "bin" / "python"), str(ROOT / "bench" / "python" / "runner.py")]
    node = ["node", str(ROOT / "bench" / "node" / "runner.js")]
    rust = str(TARGET / "release" / "bench_rust")
    rs = [
        ("rust wk", [rust, "wk", d, reps]),
        ("rust dsig", [rust, "dsig", d, reps]),
        ("python wk-eidpl", py + ["wk-eidpl", d, reps]),
        ("python wk-reference", py + ["wk-reference", d, reps]),
        ("python sig2-reference", py + ["sig2-reference", d, reps]),
        ("python sig2-xmlsec", py + ["sig2-xmlsec", d, reps]),
        ("python sig2-signxml", py + ["sig2-signxml", d, reps]),
        ("python response-xmlsec", py + ["response-xmlsec", d, reps]),
        ("python response-signxml", py + ["response-signxml", d, reps]),
        ("node sig2-xmlcrypto", node + ["sig2-xmlcrypto", d, reps]),
        ("node response-xmlcrypto", node + ["response-xmlcrypto", d, reps]),
        ("node wk-eidpl-node", node + ["wk-eidpl-node", d, reps]),
    ]
    if status.get("samael", {}).get("ok"):
        sam = str(SAMAEL_TARGET / "release" / "eidpl-bench-samael")
        rs += [("samael sig2", [sam, "sig2", d, reps]), ("samael response", [sam, "response", d, reps])]
    return rs


def node_env() -> dict:
    return {"NODE_PATH": str(NODE_DIR / "node_modules")}


def checks(status: dict) -> dict:
    """Every verifier must accept the good inputs and reject the tampered ones."""
    d = str(INPUTS)
    out = {}
    todo = [
        ("eidpl-rust", [TARGET / "release" / "bench_rust", "check", d], None),
        ("python", [VENV / "bin" / "python", ROOT / "bench" / "python" / "runner.py", "check", d], None),
        ("node", ["node", ROOT / "bench" / "node" / "runner.js", "check", d], node_env()),
    ]
    if status.get("samael", {}).get("ok"):
        todo.append(("samael", [SAMAEL_TARGET / "release" / "eidpl-bench-samael", "check", d], None))
    for name, cmd, env in todo:
        res = run_child(cmd, 300, env)
        ok = res["rc"] == 0 and any(ln.get("ok") for ln in res["lines"])
        out[name] = "passed" if ok else "FAILED: " + tail(res["stderr"], 8)
        log(f"check {name}: {out[name]}")
    return out


def pz_runs(sizes: list[int], runs: int, timeout: float) -> list[dict]:
    now = (INPUTS / "pz" / "now.txt").read_text().strip()
    py = [VENV / "bin" / "python", ROOT / "bench" / "python" / "runner.py"]
    # signxml ignores ePUAP's XPath filter transform (digest mismatch on every real PZ
    # document): it is timed on the variant signed with the enveloped-signature transform.
    impls = [
        ("eidpl-rust", "", lambda f, a: [TARGET / "release" / "bench_rust", "pz", f, a, now]),
        ("eidpl-rust-in-memory", "", lambda f, a: [TARGET / "release" / "bench_rust", "pz", f, a, now, "--in-memory"]),
        ("eidpl-python", "", lambda f, a: py + ["pz-eidpl", f, a, now]),
        ("eidpl-python-in-memory", "", lambda f, a: py + ["pz-eidpl-in-memory", f, a, now]),
        ("python-xmlsec", "", lambda f, a: py + ["pz-xmlsec", f, a, now]),
        ("signxml", "-enveloped", lambda f, a: py + ["pz-signxml", f, a, now]),
    ]
    results = []
    for mb in sizes:
        a = INPUTS / "pz" / f"anchors-{mb}MB.pem"
        for impl, variant, cmd in impls:
            f = INPUTS / "pz" / f"letter-{mb}MB{variant}.xml"
            size = f.stat().st_size
            secs, rss, error = [], [], None
            for _ in range(runs):
                res = run_child(cmd(f, a), timeout)
                if res["rc"] != 0 or not res["lines"]:
                    error = (
                        f"did not finish in {timeout:.0f} s"
                        if res["timed_out"]
                        else (tail(res["stderr"], 3) or f"exit {res['rc']}")
                    )
                    break
                secs.append(res["lines"][-1]["seconds"])
                rss.append(res["max_rss_kb"] * 1024)
            row = {"size_mb": mb, "bytes": size, "impl": impl, "file": f.name}
            if error:
                row["error"] = error
            else:
                s = statistics.median(secs)
                row.update(
                    seconds=s,
                    mb_per_s=size / 1e6 / s,
                    peak_rss_bytes=int(statistics.median(rss)),
                    rss_over_size=statistics.median(rss) / size,
                    runs=len(secs),
                )
            shown = row.get("error") or f"{row['mb_per_s']:.0f} MB/s, peak RSS {row['peak_rss_bytes'] / 1e6:.0f} MB"
            log(f"pz {mb} MB {impl}: {shown}")
            results.append(row)
    return results


def signxml_on_epuap() -> str:
    """What signxml says about a real ePUAP document (XPath filter transform)."""
    if not (INPUTS / "pz" / "letter-1MB.xml").exists():
        return "not tried (no 1 MB document)"
    now = (INPUTS / "pz" / "now.txt").read_text().strip()
    res = run_child([VENV / "bin" / "python", ROOT / "bench" / "python" / "runner.py", "pz-signxml",
                     INPUTS / "pz" / "letter-1MB.xml", INPUTS / "pz" / "anchors-1MB.pem", now], 300)
    if res["rc"] == 0:
        return "verifies"
    return "rejects it: " + tail(res["stderr"], 1)


# --- machine and versions -----------------------------------------------------------------------


def first_line(cmd: list[str]) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (p.stdout or p.stderr).strip().splitlines()[0]
    except Exception as e:
        return f"unknown ({e.__class__.__name__})"


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().splitlines()[0].split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory": mem,
        "kernel": platform.release(),
        "os": first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "load_average_start": os.getloadavg(),
    }


def versions() -> dict:
    vpy = str(VENV / "bin" / "python")
    pyv = subprocess.run(
        [vpy, "-c", (
            "import json,sys,lxml.etree as e,cryptography,xmlsec,importlib.metadata as m;"
            "print(json.dumps({'python':sys.version.split()[0],'lxml':e.__version__,"
            "'libxml2 (lxml)':'.'.join(map(str,e.LIBXML_VERSION)),'cryptography':cryptography.__version__,"
            "'signxml':m.version('signxml'),'python-xmlsec':m.version('xmlsec'),"
            "'libxmlsec1 (python-xmlsec)':'.'.join(map(str,xmlsec.get_libxmlsec_version())),"
            "'eidpl (python)':m.version('eidpl')}))"
        )],
        capture_output=True, text=True,
    )
    v = json.loads(pyv.stdout) if pyv.returncode == 0 else {"python": f"unknown: {tail(pyv.stderr, 2)}"}
    v["rustc"] = first_line(["rustc", "--version"])
    v["node"] = first_line(["node", "--version"])
    v["libxml2 (system, eidpl and samael)"] = first_line(["pkg-config", "--modversion", "libxml-2.0"])
    v["libxmlsec1 (system, samael)"] = first_line(["pkg-config", "--modversion", "xmlsec1"])
    v["openssl"] = first_line(["openssl", "version"])
    try:
        v["xml-crypto"] = json.loads((NODE_DIR / "node_modules" / "xml-crypto" / "package.json").read_text())["version"]
        v["@xmldom/xmldom"] = json.loads((NODE_DIR / "node_modules" / "@xmldom" / "xmldom" / "package.json").read_text())["version"]
    except (OSError, KeyError, ValueError):
        v["xml-crypto"] = "not installed"
    lock = ROOT / "bench" / "samael" / "Cargo.lock"
    v["samael"] = "0.0.22 (pinned in bench/samael/Cargo.toml)"
    if lock.exists():
        text = lock.read_text()
        at = text.find('name = "samael"')
        if at >= 0:
            v["samael"] = text[at:].splitlines()[1].split('"')[1]
    v["eidpl"] = next(
        (ln.split('"')[1] for ln in (ROOT / "Cargo.toml").read_text().splitlines() if ln.startswith("version")), "?"
    )
    v["eidpl commit"] = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    return v


# --- analysis -----------------------------------------------------------------------------------


def summarize(c: Collector) -> dict:
    out: dict = {}
    for (case, impl), per_op in sorted(c.samples.items()):
        med = statistics.median(per_op)
        out.setdefault(case, {})[impl] = {
            "median_us": med * 1e6,
            "ops_per_s": 1 / med,
            "samples": len(per_op),
            "spread_pct": (max(per_op) - min(per_op)) / med * 100 if len(per_op) > 1 else 0.0,
        }
    for (case, impl), st in c.status.items():
        out.setdefault(case, {}).setdefault(impl, {"status": st})
    return out


def ratio(summary: dict, case: str, a: str, b: str) -> float | None:
    """time(a) / time(b) in `case`, both from this run; None when either is missing."""
    x, y = summary.get(case, {}).get(a, {}), summary.get(case, {}).get(b, {})
    if "median_us" in x and "median_us" in y:
        return x["median_us"] / y["median_us"]
    return None


def targets(summary: dict, pz: list[dict], instructions: dict | None = None) -> list[dict]:
    t = []

    def add(name: str, value: float | None, ok: bool | None, shown: str) -> None:
        t.append({"target": name, "value": value, "met": ok, "measured": shown if value is not None else "not measured"})

    wk = summary.get("wk_full", {}).get("eidpl-rust", {})
    v = wk.get("ops_per_s")
    add("WK validation >= 5,000/s/core (eidpl-rust)", v, None if v is None else v >= 5000, f"{v:,.0f}/s" if v else "")
    r = ratio(summary, "wk_full", "eidpl-rust", "crypto-floor")
    add("WK validation <= 1.3x the crypto floor", r, None if r is None else r <= 1.3, f"{r:.2f}x" if r else "")
    ins = instructions or {}
    r = ins["full"] / ins["floor"] if ins.get("full") and ins.get("floor") else None
    add("WK validation <= 1.3x the crypto floor, in instructions (cachegrind; not the issue's measure, shown for the noise)",
        r, None if r is None else r <= 1.3, f"{r:.2f}x" if r else "")
    for other, need in (("reference-lxml-cryptography", 2.5), ("python-xmlsec", 5.0), ("signxml", 7.0)):
        r = ratio(summary, "wk_sig2", other, "eidpl-rust")
        add(f"WK signatures: eidpl >= {need:g}x faster than {other}", r, None if r is None else r >= need, f"{r:.2f}x" if r else "")
    # At 1 MB the process's own baseline (runtime, libraries) dominates both figures.
    for size in sorted({row["size_mb"] for row in pz if row["size_mb"] >= 100}):
        for impl in ("eidpl-rust", "eidpl-python"):
            row = next((x for x in pz if x["size_mb"] == size and x["impl"] == impl), None)
            v = row.get("mb_per_s") if row else None
            add(f"PZ {size} MB >= 150 MB/s ({impl})", v, None if v is None else v >= 150, f"{v:.0f} MB/s" if v else (row or {}).get("error", ""))
            v = row.get("rss_over_size") if row else None
            add(f"PZ {size} MB peak RSS <= 2x file size ({impl})", v, None if v is None else v <= 2, f"{v:.2f}x" if v else "")
    for binding in ("eidpl-python", "eidpl-node"):
        r = ratio(summary, "wk_full", binding, "eidpl-rust")
        add(f"{binding} overhead <= 10% over Rust on full validation", r, None if r is None else r <= 1.10, f"{(r - 1) * 100:+.1f}%" if r else "")
        o = ins.get("bindings", {}).get(binding, {}).get("overhead")
        add(f"{binding} overhead <= 10% over Rust on full validation, in instructions (callgrind; not the issue's measure, shown for the noise)",
            o, None if o is None else o <= 0.10, f"{o * 100:+.1f}%" if o is not None else "")
    return t


# --- the report ---------------------------------------------------------------------------------

IMPL_NOTES = {
    "crypto-floor": "the crypto floor: 2 ECDSA P-256 verifications with their SHA-256 digests, 1 ECDH, ConcatKDF, AES key unwrap, AES-GCM (canonical inputs made beforehand)",
    "eidpl-rust": "eidpl (Rust, release): `ServiceProvider::validate_artifact_response`, fresh in-memory replay cache per pass",
    "eidpl-rust-no-replay-cache": "the same with a replay store that always accepts (as core/benches/wk.rs)",
    "eidpl-python": "eidpl Python binding (abi3 wheel, release): `WkServiceProvider.validate_artifact_response`",
    "eidpl-node": "eidpl Node binding: `validateArtifactResponseSync`",
    "eidpl-node-async": "eidpl Node binding: `await validateArtifactResponse` one at a time",
    "reference-lxml-cryptography": "bench/python/reference_wk.py: lxml parse and exc-c14n, cryptography ECDSA/ECDH/ConcatKDF/AES-KW/AES-GCM, SAML checks",
    "python-xmlsec": "python-xmlsec (libxmlsec1, OpenSSL), pinned certificate as the key",
    "signxml": "signxml `XMLVerifier` (lxml + cryptography), pinned certificate",
    "xml-crypto": "xml-crypto (npm, pure JS + @xmldom); ECDSA: ecdsa-sha256 registered via `SignedXml#SignatureAlgorithms` with node:crypto (xml-crypto has none)",
    "samael": "samael (Rust over libxmlsec1): `reduce_xml_to_signed` (WK) / `verify_signed_xml` (Response)",
    "eidpl-rust (PZ)": "`xades::verify_reader` streaming the file (as `eidpl verify`); eidpl-rust-in-memory: `xades::verify_document` on the file's bytes read first",
    "eidpl-python (PZ)": "`eidpl.verify_document_file` streaming the file; eidpl-python-in-memory: `eidpl.verify_document` on the file's bytes read first",
}


def fmt(x: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "–" if x is None else f"{x:{spec}}{suffix}"


def render(res: dict) -> str:
    s = res["summary"]
    L: list[str] = []
    a = L.append
    a("# Performance")
    a("")
    a("Generated by `bench/run.py` (`make bench`); numbers are medians of repeated timed passes from one run, and")
    a("every ratio compares figures of that same run. Raw figures: [`bench/results.json`](../bench/results.json).")
    a("")
    if res.get("loaded_machine"):
        a(f"> **Measured on a shared, loaded machine** (load average {res['machine']['load_average_start'][0]:.1f} at the start on "
          f"{res['machine']['cores']} cores): absolute figures are low and noisy; rerun `make bench` on a quiet machine for final numbers.")
        a("")
    a("## How it was measured")
    a("")
    a(f"* Command: `{res['command']}` ({res['started']} – {res['finished']} UTC, {res['duration_s'] / 60:.1f} min).")
    a(f"* Repetitions: {res['config']['rounds']} round(s) × {res['config']['reps']} timed passes per runner process (after one untimed warm-up pass;"
      " in the Rust runner eidpl and its crypto floor alternate pass by pass, so a slow spell of the machine hits both);"
      f" WK passes validate {res['config']['messages']} distinct ArtifactResponses each; PZ: {res['config']['pz_runs']} run(s) per size and implementation, each a separate process.")
    m = res["machine"]
    a(f"* Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Linux {m['kernel']}.")
    a("* Versions: " + ", ".join(f"{k} {v}" for k, v in res["versions"].items()) + ".")
    a("* Inputs (`target/bench/inputs/`, written by `bench/rust/src/bin/bench_fixtures.rs`): generated WK answers in WK's shape (SOAP, ArtifactResponse and Response signed with ECDSA P-256, assertion encrypted with ECDH-ES + ConcatKDF + AES-KW + AES-256-GCM); one SAML Response with a plain assertion signed with ECDSA P-256 and with RSA-2048; ePUAP letters with a podpis zaufany (XAdES enveloped, RSA seal) and one base64 attachment.")
    a("* Every verifier passes the harness's check before its figures count: good inputs accepted, one byte changed under the outer or the inner WK signature rejected (the reference validator also rejects a foreign request ID, a foreign audience, an expired message and a replay).")
    a("")
    a("Checks: " + ", ".join(f"{k}: {v.split(':')[0] if v.startswith('FAILED') else v}" for k, v in res["checks"].items()) + ".")
    a("")
    a("In the tables, *× crypto floor* and *× eidpl-rust* are time ratios (2.00 × eidpl-rust: takes twice as long as eidpl, i.e. eidpl is 2× faster);"
      " *spread* is half the range of the per-pass figures around the median.")
    a("")
    a("## Targets")
    a("")
    a("| target | measured | met |")
    a("| --- | --- | --- |")
    for t in res["targets"]:
        met = "–" if t["met"] is None else ("yes" if t["met"] else "**no**")
        a(f"| {t['target']} | {t['measured']} | {met} |")
    a("")

    def table(case: str, title: str, intro: str, order: list[str], floor: bool) -> None:
        rows = s.get(case, {})
        if not rows:
            return
        a(f"## {title}")
        a("")
        a(intro)
        a("")
        a("| implementation | per second | µs each | × crypto floor | × eidpl-rust (time) | spread |")
        a("| --- | ---: | ---: | ---: | ---: | ---: |")
        names = [n for n in order if n in rows] + sorted(n for n in rows if n not in order)
        for n in names:
            r = rows[n]
            if "median_us" not in r:
                a(f"| {n} | {r.get('status', 'not measured')} | | | | |")
                continue
            a(
                f"| {n} | {r['ops_per_s']:,.0f} | {r['median_us']:,.1f} | "
                f"{fmt(ratio(s, case, n, 'crypto-floor') if floor else None)} | {fmt(ratio(s, case, n, 'eidpl-rust'))} | ±{r['spread_pct'] / 2:.0f}% |"
            )
        a("")

    table("wk_full", "WK ArtifactResponse: full validation",
          "Parse, both signatures, decryption and every SAML check, one message after another on one core.",
          ["crypto-floor", "eidpl-rust", "eidpl-rust-no-replay-cache", "eidpl-python", "eidpl-node", "eidpl-node-async", "reference-lxml-cryptography"], True)
    table("wk_sig2", "WK ArtifactResponse: the two signatures", "Signature verification only: " + WK_SIG_NOTE + ". Floor: the 2 ECDSA verifications with their SHA-256 digests.",
          ["crypto-floor", "eidpl-rust", "reference-lxml-cryptography", "python-xmlsec", "signxml", "xml-crypto", "samael"], True)
    for alg, name in (("ecdsa", "ECDSA P-256"), ("rsa", "RSA-2048")):
        table(f"response_{alg}", f"Signed SAML Response, {name}", "Parse and verify the one enveloped signature (exc-c14n, SHA-256) of a ~3 KB Response with a pinned certificate. Floor: SHA-256 of the canonical content and one verification.",
              ["crypto-floor", "eidpl-rust", "python-xmlsec", "signxml", "xml-crypto", "samael"], True)
    if res["pz"]:
        a("## PZ documents (podpis zaufany, XAdES enveloped)")
        a("")
        a("One verification per process; peak RSS is the process's `ru_maxrss` (interpreter included). eidpl does the full XAdES/PZ verification "
          "(chain to the anchor, signed properties, PZ identity); python-xmlsec and signxml only verify the signature with the signer's certificate from KeyInfo, after lxml parses with `huge_tree`.")
        a("")
        a(f"signxml ignores the XPath filter transform (`not(ancestor-or-self::ds:Signature)`) that ePUAP and podpis zaufany use: on the real document it {res['signxml_on_epuap_document']}. "
          "Its row is timed on the same letter signed with the enveloped-signature transform instead (same digest input, `letter-*-enveloped.xml`).")
        a("")
        a("| size | implementation | seconds | MB/s | peak RSS (MB) | RSS / file size |")
        a("| --- | --- | ---: | ---: | ---: | ---: |")
        for row in res["pz"]:
            if "error" in row:
                err = row["error"].replace("\n", " ").replace("|", "\\|")[:200]
                a(f"| {row['size_mb']} MB | {row['impl']} | {err} | | | |")
            else:
                a(f"| {row['size_mb']} MB | {row['impl']} | {row['seconds']:.2f} | {row['mb_per_s']:.0f} | {row['peak_rss_bytes'] / 1e6:.0f} | {row['rss_over_size']:.2f} |")
        a("")
    ins = res.get("instructions") or {}
    if ins.get("full") and ins.get("floor"):
        a("## Instruction counts, branch mispredictions and cache misses (cachegrind)")
        a("")
        a(f"`core/examples/profile_wk_full.rs` on one generated WK answer under `{ins['tool']}`, {ins['runs'][0]} and {ins['runs'][1]} operations,"
          " the difference divided out (set-up cancels). These counts do not move with the machine's load, unlike the times above."
          " Mispredictions and misses come from cachegrind's model of a branch predictor and a 32 KiB first-level data cache, not"
          " from the CPU's own counters: they show the work that instruction counts leave out. The crypto"
          " runs long predictable loops over registers; parsing and canonicalizing XML branches on every byte and node and follows"
          " pointers through freshly allocated memory, so each of its instructions costs more time and the time ratio runs higher"
          " than the instruction ratio.")
        a("")
        mis, d1 = ins.get("mispredicts") or {}, ins.get("d1_misses") or {}
        a("| operation | instructions | × crypto floor | branch mispredictions | × crypto floor | D1 misses | × crypto floor |")
        a("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")

        def counted(d: dict, mode: str) -> str:
            if d.get(mode) is None or not d.get("floor"):
                return " | "
            return f"{d[mode]:,.0f} | {d[mode] / d['floor']:.2f}"

        for mode, label in (("floor", "crypto floor (2 ECDSA verifications with SHA-256, ECDH, ConcatKDF, AES-KW, AES-GCM)"),
                            ("full", "full validation (`validate_artifact_response`, replay check off)"),
                            ("parse", "libxml2 parse of the answer alone (one of the two trees a validation builds)")):
            if ins.get(mode):
                a(f"| {label} | {ins[mode]:,.0f} | {ins[mode] / ins['floor']:.2f} | {counted(mis, mode)} | {counted(d1, mode)} |")
        a("")
        rows = {k: v for k, v in (ins.get("bindings") or {}).items() if v.get("total")}
        if rows:
            a("Each binding's own cost, from its runner validating the first 40 and then 120 bench messages under callgrind"
              " (`runner.py wk-eidpl-count`, `runner.js wk-eidpl-node-count`): the instructions inside the core's"
              " `validate_artifact_response` are the core, the rest of the difference per message is the binding.")
            a("")
            a("| binding | instructions per validation | in the core | binding's own | overhead |")
            a("| --- | ---: | ---: | ---: | ---: |")
            for k, v in rows.items():
                a(f"| {k} | {v['total']:,.0f} | {v['core']:,.0f} | {v['total'] - v['core']:,.0f} | {v['overhead'] * 100:+.1f}% |")
            a("")
    elif ins.get("error"):
        a(f"Instruction counts: not measured ({ins['error']}).")
        a("")
    a("## Implementations")
    a("")
    for n, note in IMPL_NOTES.items():
        a(f"* **{n}**: {note}.")
    a("")
    a("## Builds")
    a("")
    for name, st in res["builds"].items():
        if st.get("ok"):
            a(f"* {name}: built.")
        else:
            a(f"* {name}: **not measured**: {st.get('error', '').splitlines()[0] if st.get('error') else ''}")
            if st.get("error") and len(st["error"].splitlines()) > 1:
                a("")
                a("  ```")
                for line in st["error"].splitlines()[-12:]:
                    a("  " + line)
                a("  ```")
    for r in res["runner_errors"]:
        a(f"* runner `{r['runner']}`: {r['error'].splitlines()[0]}")
    a("")
    a("Criterion micro-benchmarks of the core (`make bench-criterion`) remain for profiling single functions.")
    a("")
    return "\n".join(L)


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", 3 if quick else 5)))
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 1 if quick else 3)))
    ap.add_argument("--messages", type=int, default=int(os.environ.get("BENCH_MESSAGES", 300 if quick else 1000)))
    ap.add_argument("--pz-sizes", default=os.environ.get("BENCH_PZ_SIZES", "1,100" if quick else "1,100,500"))
    ap.add_argument("--pz-runs", type=int, default=int(os.environ.get("BENCH_PZ_RUNS", 1 if quick else 3)))
    ap.add_argument("--pz-timeout", type=float, default=float(os.environ.get("BENCH_PZ_TIMEOUT", 600)))
    ap.add_argument("--skip-build", action="store_true", help="use what target/ already has")
    ap.add_argument("--no-write", action="store_true", help="print the report instead of writing bench/results.json and docs/PERFORMANCE.md")
    args = ap.parse_args()
    sizes = [int(x) for x in args.pz_sizes.split(",") if x.strip()]
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    mach = machine()

    builds: dict = {"eidpl-rust": {"ok": True}}
    if not args.skip_build:
        build_rust()
        build_venv(builds)
        build_node(builds)
        build_samael(builds)
    else:
        builds.update({"eidpl-python": {"ok": True}, "xml-crypto": {"ok": True}})
        builds["samael"] = {"ok": (SAMAEL_TARGET / "release" / "eidpl-bench-samael").exists(), "error": "not built (--skip-build)"}
        binding = ROOT / "bindings" / "node"
        builds["eidpl-node"] = {"ok": binding.exists(), "error": "binding not built"}
    fixtures(args.messages, sizes)
    check = checks(builds)

    c = Collector()
    plan = runners(builds, args.reps)
    for rnd in range(args.rounds):
        log(f"round {rnd + 1}/{args.rounds}")
        for name, cmd in plan:
            env = node_env() if cmd[0] == "node" else None
            res = run_child(cmd, 900, env)
            c.add(name, res)
    # A verifier that failed its check does not get figures.
    failed = {k for k, v in check.items() if v != "passed"}
    by_check = {"python": {"eidpl-python", "reference-lxml-cryptography", "python-xmlsec", "signxml"},
                "node": {"xml-crypto", "eidpl-node", "eidpl-node-async"}, "samael": {"samael"},
                "eidpl-rust": {"eidpl-rust", "eidpl-rust-no-replay-cache"}}
    for k in failed:
        for key in list(c.samples):
            if key[1] in by_check.get(k, set()):
                del c.samples[key]
                c.status[key] = f"excluded: failed the harness check ({k})"
    summary = summarize(c)
    for impl in ("eidpl-node", "eidpl-node-async"):
        if not builds.get("eidpl-node", {}).get("ok") and impl not in summary.get("wk_full", {}):
            summary.setdefault("wk_full", {})[impl] = {"status": builds["eidpl-node"]["error"]}
    if not builds.get("samael", {}).get("ok"):
        for case in ("wk_sig2", "response_ecdsa", "response_rsa"):
            summary.setdefault(case, {})["samael"] = {"status": "did not build (see Builds)"}
    pz = pz_runs(sizes, args.pz_runs, args.pz_timeout) if sizes else []
    signxml_epuap = signxml_on_epuap()
    instructions = instruction_counts()
    instructions["bindings"] = binding_instruction_counts(builds)
    finished = dt.datetime.now(dt.timezone.utc)
    load_end = os.getloadavg()
    mach["load_average_end"] = load_end
    command = "make bench" if os.environ.get("MAKELEVEL") else "python3 bench/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    envs = " ".join(f"{k}={os.environ[k]}" for k in ("BENCH_QUICK", "BENCH_REPS", "BENCH_ROUNDS", "BENCH_MESSAGES", "BENCH_PZ_SIZES", "BENCH_PZ_RUNS") if k in os.environ)
    res = {
        "command": (envs + " " + command).strip(),
        "started": started.strftime("%Y-%m-%d %H:%M"),
        "finished": finished.strftime("%Y-%m-%d %H:%M"),
        "duration_s": time.perf_counter() - t0,
        "config": {"quick": quick, "reps": args.reps, "rounds": args.rounds, "messages": args.messages, "pz_sizes": sizes, "pz_runs": args.pz_runs},
        "machine": mach,
        "loaded_machine": max(mach["load_average_start"][0], load_end[0]) > 0.5 * (mach["cores"] or 1),
        "versions": versions(),
        "builds": builds,
        "checks": check,
        "summary": summary,
        "ratios": {
            "wk_full": {n: ratio(summary, "wk_full", n, "eidpl-rust") for n in summary.get("wk_full", {})},
            "wk_full_vs_floor": {n: ratio(summary, "wk_full", n, "crypto-floor") for n in summary.get("wk_full", {})},
            "wk_sig2": {n: ratio(summary, "wk_sig2", n, "eidpl-rust") for n in summary.get("wk_sig2", {})},
            "wk_sig2_vs_floor": {n: ratio(summary, "wk_sig2", n, "crypto-floor") for n in summary.get("wk_sig2", {})},
            "response_ecdsa": {n: ratio(summary, "response_ecdsa", n, "eidpl-rust") for n in summary.get("response_ecdsa", {})},
            "response_rsa": {n: ratio(summary, "response_rsa", n, "eidpl-rust") for n in summary.get("response_rsa", {})},
        },
        "pz": pz,
        "instructions": instructions,
        "signxml_on_epuap_document": signxml_epuap,
        "runner_errors": c.runs,
    }
    res["targets"] = targets(summary, pz, instructions)
    md = render(res)
    if args.no_write:
        print(md)
    else:
        RESULTS.write_text(json.dumps(res, indent=2, sort_keys=False) + "\n")
        REPORT.write_text(md)
        log(f"wrote {RESULTS.relative_to(ROOT)} and {REPORT.relative_to(ROOT)}")
    for t in res["targets"]:
        log(f"target {t['target']}: {t['measured']} -> {'met' if t['met'] else 'not met' if t['met'] is False else 'n/a'}")


if __name__ == "__main__":
    main()
