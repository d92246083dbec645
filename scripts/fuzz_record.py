#!/usr/bin/env python3
"""Adds one libFuzzer run to fuzz/results.json. Runs accumulate per target (executions,
seconds, crashes… summed; `runs` counts them), so several shorter runs add up to the total;
`findings` is kept as written by hand (one line per finding and its regression test)."""
import argparse, datetime, json, os, re, subprocess

p = argparse.ArgumentParser()
for a in ("--target", "--log", "--corpus", "--artifacts", "--results"):
    p.add_argument(a, required=True)
p.add_argument("--rc", type=int, required=True)
p.add_argument("--seconds", type=int, required=True)
a = p.parse_args()

log = open(a.log, errors="replace").read()
m = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
if m:
    executions = int(m[-1])
else:  # killed before the final stats: the last status line still counts
    m = re.findall(r"^#(\d+)\s", log, re.M)
    executions = int(m[-1]) if m else 0
m = re.findall(r"Done \d+ runs in (\d+) second", log)
seconds = int(m[-1]) if m else a.seconds

def count(prefix):
    if not os.path.isdir(a.artifacts):
        return 0
    return sum(1 for f in os.listdir(a.artifacts) if f.startswith(prefix))

def sh(*cmd):
    try:
        return subprocess.check_output(cmd, text=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"

cpu = "unknown"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break

try:
    results = json.load(open(a.results))
except FileNotFoundError:
    results = {"targets": []}
results["generated"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
results["commit"] = sh("git", "rev-parse", "HEAD")
results["machine"] = f"{cpu}, {os.cpu_count()} cores (shared)"
results["rustc"] = sh("rustc", "--version")
targets = results.setdefault("targets", [])
entry = next((t for t in targets if t["name"] == a.target), None)
if entry is None:
    entry = {"name": a.target, "executions": 0, "seconds": 0, "execs_per_second": 0,
             "corpus_files": 0, "crashes": 0, "timeouts": 0, "ooms": 0, "runs": 0,
             "findings": []}
    targets.append(entry)
# Artifacts found so far (the directory keeps them across runs until they become regressions).
crashes, timeouts, ooms = count("crash-") + count("leak-"), count("timeout-"), count("oom-")
entry["executions"] += executions
entry["seconds"] += seconds
entry["execs_per_second"] = round(entry["executions"] / max(entry["seconds"], 1))
entry["corpus_files"] = len(os.listdir(a.corpus))
entry["crashes"], entry["timeouts"], entry["ooms"] = (max(entry["crashes"], crashes),
                                                      max(entry["timeouts"], timeouts),
                                                      max(entry["ooms"], ooms))
entry["runs"] += 1
entry["last_run"] = {"date": results["generated"], "commit": results["commit"],
                     "executions": executions, "seconds": seconds, "exit_code": a.rc}
order = ["parse", "wk_response", "decrypt", "xades_verify"]
targets.sort(key=lambda t: order.index(t["name"]) if t["name"] in order else len(order))
results = {k: results[k] for k in ("generated", "commit", "machine", "rustc", "targets")}
with open(a.results, "w") as f:
    json.dump(results, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"fuzz: {a.target}: {executions} executions in {seconds}s "
      f"(total {entry['executions']} in {entry['runs']} run(s)), rc={a.rc}")
