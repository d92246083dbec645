#!/usr/bin/env python3
"""Generates docs/SECURITY-RESULTS.md: every row of SECURITY.md with the tests that prove it.

Tests declare what they prove with a marker line directly above the test (doc comments and
attributes may sit between the marker and the `fn`):

    // attack: xsw, rule-2              Rust (core/tests, cli/tests, ffi/tests): above #[test]
    # attack: concurrency               Python (bindings/python/tests): above `def test_…`
    /* attack: ffi-valgrind */          C (tests/c), Java and C# (bindings/{java,dotnet}/tests):
    // attack: concurrency              above the function
    // attack: replay                   Node (bindings/node/test/*.test.js): above `test('…', …)`

The row ids (slugs) are defined below and matched against SECURITY.md by the start of each row's
first cell, so a row added or reworded there fails loudly instead of being dropped.

    scripts/security-results.py --check-markers   static check for `make test`: every row has a
                                                  test, every marker names a known row
    scripts/security-results.py [--bindings]      runs exactly the marked tests (Rust always; the
                                                  others with --bindings, through `make test-c`,
                                                  `test-java`, `test-dotnet`, `test-python`; a C,
                                                  Java or C# test program passes or fails whole)
                                                  and writes docs/SECURITY-RESULTS.md

Exit status 1 when a row has no test, a marker is unknown or misplaced, a marked test fails (or,
with --bindings, did not run), or a fuzz target recorded crashes. Python 3 standard library only.
"""

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECURITY_MD = ROOT.parent / "shared" / "docs" / "SECURITY.md"
OUTPUT = ROOT / "docs" / "SECURITY-RESULTS.md"
FUZZ_RESULTS = ROOT / "fuzz" / "results.json"

# (slug, start of the row's first cell in SECURITY.md "Attack → defence → required test").
ATTACKS = [
    ("xsw", "XSW1–XSW8"),
    ("several-assertions", "several assertions / roots"),
    ("digest-anywhere", "verifier finds DigestValue anywhere"),
    ("second-signedinfo", "second SignedInfo, comment inside DigestValue"),
    ("comment-injection", "comment/PI injection in NameID"),
    ("parser-differential", "two parsers disagree"),
    ("void-c14n", "void canonicalization"),
    ("keyinfo-key", "key taken from KeyInfo"),
    ("no-key", "no key configured / no signature"),
    ("hmac-truncation", "HMAC truncation"),
    ("ecdsa-encoding", "ECDSA DER vs r‖s"),
    ("transform-bombs", "XSLT / XPath transform bombs"),
    ("xxe", "XXE, billion laughs"),
    ("cbc-padding", "CBC padding oracle"),
    ("invalid-curve", "invalid-curve ECDH"),
    ("gcm-tamper", "GCM tag or IV tampering"),
    ("unsigned-decrypt", "decrypted assertion trusted without covering signature"),
    ("replay", "replay (InResponseTo"),
    ("audience-etc", "audience / recipient / destination / issuer mismatch"),
    ("status", "status not Success but assertion present"),
    ("pz-non-seal", "PZ block signed by a non-seal key"),
    ("xades-cert-substitution", "XAdES certificate substitution"),
]
# (slug, start of the rule's bold title in "The five rules").
RULES = [
    ("rule-1", "One parser"),
    ("rule-2", "See what is signed"),
    ("rule-3", "A strict profile"),
    ("rule-4", "Keys come from configuration"),
    ("rule-5", "Fail closed"),
]
# (slug, start of the bullet in "Beyond unit tests"). `fuzz` is shown from fuzz/results.json.
BEYOND = [
    ("fuzz", "Fuzz targets"),
    ("ffi-valgrind", "The FFI layer under valgrind"),
    ("concurrency", "Concurrency"),
]
FROM_FUZZ_RESULTS = {"fuzz"}

# Why a row is proven the way it is, where the table alone would not say.
NOTES = {
    "parser-differential": (
        "SECURITY.md names no test for this row (its defence is rule 1). It is proven "
        "structurally: libxml2 is the only XML parser in the dependency graph of the core, CLI, C "
        "ABI and Python binding (walked in Cargo.lock), a DOCTYPE (the "
        "vehicle of the ruby-saml differentials) is refused, and the Rust exclusive c14n is held "
        "byte for byte to libxml2's on random documents, so nothing re-serializes differently "
        "from what was parsed."
    ),
    "transform-bombs": (
        "The allowlist runs before the (stale) SignatureValue is checked, so nothing is "
        "evaluated; `transform_bombs_are_refused_without_work` bounds the time over 12 000 "
        "elements with a cubic XPath and an endlessly recursive XSLT."
    ),
    "gcm-tamper": (
        "The profile has no IV-length parameter: the IV is the first 12 bytes of CipherValue, "
        "so a ciphertext made with a 16- or 8-byte IV fails its tag with the one uniform error."
    ),
    "keyinfo-key": (
        "The CLI and interop tests use real messages whose KeyInfo certificate is not the "
        "pinned one."
    ),
    "concurrency": (
        "Through the C ABI, Java and C# (eight threads racing on one SP each) and the Python "
        "binding (ten threads). PHP has no threads: its test runs four processes, and is not "
        "marked."
    ),
    "ffi-valgrind": (
        "The whole C test program (`tests/c/test_eidpl.c`) runs under valgrind with "
        "--leak-check=full and --error-exitcode=1 in `make test-c`; its result is that run's."
    ),
}

MARKER = re.compile(r"^\s*(?://|/\*|#)\s*attack:\s*(.*?)\s*(?:\*/)?\s*$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Fatal(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# SECURITY.md
# ---------------------------------------------------------------------------------------------


def sections(text):
    """{heading: [lines]} for the `## ` sections."""
    out, current = OrderedDict(), None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


def find_section(secs, start):
    for name, lines in secs.items():
        if name.startswith(start):
            return lines
    raise Fatal(f"SECURITY.md has no section starting with {start!r}")


def match(kind, items, mapping):
    """Pairs each SECURITY.md item with exactly one slug; fails naming what does not match."""
    rows, used, problems = [], set(), []
    for item in items:
        hits = [slug for slug, prefix in mapping if item["title"].startswith(prefix)]
        if len(hits) != 1:
            problems.append(
                f"SECURITY.md {kind} not mapped to exactly one id (got {hits}): {item['title']!r}"
            )
            continue
        used.add(hits[0])
        rows.append(dict(item, slug=hits[0], kind=kind))
    for slug, prefix in mapping:
        if slug not in used:
            problems.append(f"id {slug!r} matches no {kind} of SECURITY.md (expected {prefix!r}…)")
    if problems:
        raise Fatal("\n".join(problems))
    return rows


def parse_security(path):
    if not path.is_file():
        raise Fatal(f"{path} not found (the shared docs live beside the project)")
    secs = sections(path.read_text(encoding="utf-8"))

    table = [l for l in find_section(secs, "Attack") if l.startswith("|")]
    if len(table) < 3 or not re.match(r"^\|[-| ]+\|$", table[1]):
        raise Fatal("SECURITY.md attack table not found or malformed")
    attacks = []
    for line in table[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3:
            raise Fatal(f"SECURITY.md attack row without 3 cells: {line!r}")
        attacks.append({"title": cells[0], "defence": cells[1], "required": cells[2]})

    rules = []
    for line in find_section(secs, "The five rules"):
        m = re.match(r"^(\d+)\.\s+\*\*(.+?)\*\*", line)
        if m:
            rules.append({"title": m.group(2), "defence": "", "required": "", "n": m.group(1)})

    beyond = []
    for line in find_section(secs, "Beyond unit tests"):
        m = re.match(r"^\*\s+(.+)$", line)
        if m:
            beyond.append({"title": m.group(1), "defence": "", "required": ""})

    return (
        match("attack row", attacks, ATTACKS),
        match("rule", rules, RULES),
        match("'Beyond unit tests' item", beyond, BEYOND),
    )


# ---------------------------------------------------------------------------------------------
# Markers
# ---------------------------------------------------------------------------------------------


def package_of(crate_dir):
    text = (crate_dir / "Cargo.toml").read_text(encoding="utf-8")
    m = re.search(r'^\[package\][^\[]*?^name\s*=\s*"([^"]+)"', text, re.M | re.S)
    if not m:
        raise Fatal(f"{crate_dir}/Cargo.toml has no package name")
    return m.group(1)


def source_files():
    """(path, language) of every file that may carry markers."""
    files = []
    for crate in ("core", "cli", "ffi"):
        files += [(p, "rust") for p in sorted((ROOT / crate / "tests").glob("*.rs"))]
        files += [(p, "rust-src") for p in sorted((ROOT / crate / "src").rglob("*.rs"))]
    files += [(p, "python") for p in sorted((ROOT / "bindings").glob("*/tests/**/*.py"))]
    files += [(p, "c") for p in sorted((ROOT / "tests" / "c").glob("*.c"))]
    files += [(p, "java") for p in sorted((ROOT / "bindings" / "java" / "tests").rglob("*.java"))]
    files += [(p, "csharp") for p in sorted((ROOT / "bindings" / "dotnet" / "tests").rglob("*.cs"))]
    files += [(p, "node") for p in sorted((ROOT / "bindings" / "node" / "test").glob("*.test.js"))]
    return files


def follow(lines, i, lang):
    """The test a marker on line i belongs to: (name, line) or an error message."""
    saw_test_attr = False
    for j in range(i + 1, min(i + 40, len(lines))):
        s = lines[j].strip()
        if MARKER.match(lines[j]):
            continue
        if lang == "rust":
            if s.startswith("#[") and "test" in s:
                saw_test_attr = True
                continue
            if s.startswith(("//", "#[")):
                continue
            m = re.match(r"^(?:pub\s+)?(?:async\s+)?fn\s+(\w+)", s)
            if m:
                if not saw_test_attr:
                    return f"`fn {m.group(1)}` is not a #[test]"
                return m.group(1), j + 1
        elif lang == "python":
            if s.startswith(("@", "#")):
                continue
            m = re.match(r"^(?:async\s+)?def\s+(test_\w+)", s)
            if m:
                return m.group(1), j + 1
        elif lang == "node":
            if s.startswith("//"):
                continue
            m = re.match(r"^test\(\s*(['\"`])(.+?)\1\s*,", s)
            if m:
                return m.group(2), j + 1
        else:  # C, Java, C#: a function of the test program
            if s.startswith(("/*", "*", "//", "@", "[")):
                continue
            m = re.match(
                r"^(?:(?:public|private|protected|internal|static|final)\s+)*"
                r"(?:void|int)\s+(\w+)\s*\(",
                s,
            )
            if m:
                return m.group(1), j + 1
        return f"expected the test right below the marker, found {s!r}"
    return "no test below the marker"


def scan_markers(known):
    """[{slugs, lang, file, line, name, pkg, target, id}] and a list of problems."""
    tests, problems = [], []
    for path, lang in source_files():
        rel = path.relative_to(ROOT).as_posix()
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for i, line in enumerate(lines):
            m = MARKER.match(line)
            if not m:
                continue
            where = f"{rel}:{i + 1}"
            if lang == "rust-src":
                problems.append(f"{where}: markers in unit tests under src/ are not run; move the test to tests/")
                continue
            slugs = [s.strip() for s in m.group(1).split(",") if s.strip()]
            bad = [s for s in slugs if not SLUG.match(s) or s not in known]
            if not slugs or bad:
                problems.append(f"{where}: unknown row id(s) {bad or slugs} (known: {', '.join(sorted(known))})")
                continue
            found = follow(lines, i, lang)
            if isinstance(found, str):
                problems.append(f"{where}: {found}")
                continue
            name, fn_line = found
            t = {"slugs": slugs, "lang": lang, "file": rel, "line": fn_line, "name": name}
            if lang == "rust":
                t["pkg"] = package_of(path.parent.parent)
                t["target"] = path.stem
                t["id"] = f"{path.stem}::{name}"
            elif lang in ("python", "node"):
                t["id"] = f"{rel}::{name}"
            else:
                t["id"] = f"{path.name}::{name}"
            if any(o["id"] == t["id"] for o in tests):
                problems.append(f"{where}: {t['id']} carries two marker blocks; list the ids on one line")
                continue
            tests.append(t)
    return tests, problems


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def run(cmd, env=None):
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    p = subprocess.run(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        errors="replace",
    )
    return p.returncode, p.stdout


def tail(text, n=25):
    return "\n".join(text.rstrip().splitlines()[-n:])


def run_rust(tests, results):
    cargo = os.environ.get("CARGO", "cargo")
    groups = OrderedDict()
    for t in tests:
        groups.setdefault((t["pkg"], t["target"]), []).append(t)
    for (pkg, target), group in groups.items():
        names = sorted({t["name"] for t in group})
        rc, out = run([cargo, "test", "--locked", "-p", pkg, "--test", target, "--", "--exact"] + names)
        seen = dict(re.findall(r"^test (\S+) \.\.\. (ok|FAILED|ignored)", out, re.M))
        for t in group:
            status = seen.get(t["name"])
            if status == "ok":
                results[t["id"]] = ("pass", "")
            elif status == "FAILED":
                m = re.search(r"^---- " + re.escape(t["name"]) + r" stdout ----\n(.*?)(?=^----|^failures:)", out, re.M | re.S)
                # The panic message, not the backtrace under it.
                why = (m.group(1) if m else out).split("stack backtrace:")[0].strip()
                results[t["id"]] = ("FAIL", "\n".join(why.splitlines()[:12]))
            elif status == "ignored":
                results[t["id"]] = ("FAIL", "the test is #[ignore]d")
            else:
                results[t["id"]] = ("FAIL", f"did not run (cargo exit {rc}):\n{tail(out, 12)}")


# The C, Java and C# tests are one program each: it passes or fails as a whole.
PROGRAMS = {"c": "test-c", "java": "test-java", "csharp": "test-dotnet"}


def run_program(lang, tests, results):
    target = PROGRAMS[lang]
    rc, out = run([os.environ.get("MAKE", "make"), "-s", target])
    for t in tests:
        results[t["id"]] = ("pass", "") if rc == 0 else ("FAIL", f"`make {target}` exit {rc}:\n{tail(out, 12)}")


def run_python(tests, results):
    env = dict(os.environ, PYTEST_ADDOPTS=(os.environ.get("PYTEST_ADDOPTS", "") + " -rA").strip())
    rc, out = run([os.environ.get("MAKE", "make"), "-s", "test-python"], env=env)
    # Node ids are relative to pytest's rootdir: match on file name and test name.
    seen = {}
    for status, path, name in re.findall(r"^(PASSED|FAILED|ERROR|XPASS|XFAIL) (\S+?)::(\w+)", out, re.M):
        seen[(Path(path).name, name)] = status
    for t in tests:
        status = seen.get((Path(t["file"]).name, t["name"]))
        if status == "PASSED":
            results[t["id"]] = ("pass", "")
        elif status:
            results[t["id"]] = ("FAIL", f"pytest: {status}")
        else:
            results[t["id"]] = ("FAIL", f"did not run (`make test-python` exit {rc}):\n{tail(out, 12)}")


def run_node(tests, results):
    rc, out = run([os.environ.get("MAKE", "make"), "-s", "test-node"])
    # node --test's TAP: "ok 3 - name" / "not ok 3 - name" for the top-level tests.
    seen = {}
    for status, name in re.findall(r"^(ok|not ok) \d+ - (.+?)(?: # .*)?$", out, re.M):
        seen[name] = status
    for t in tests:
        status = seen.get(t["name"])
        if status == "ok":
            results[t["id"]] = ("pass", "")
        elif status:
            results[t["id"]] = ("FAIL", "node --test: not ok")
        else:
            results[t["id"]] = ("FAIL", f"did not run (`make test-node` exit {rc}):\n{tail(out, 12)}")


# ---------------------------------------------------------------------------------------------
# Fuzzing
# ---------------------------------------------------------------------------------------------


def load_fuzz():
    if not FUZZ_RESULTS.is_file():
        return None
    data = json.loads(FUZZ_RESULTS.read_text(encoding="utf-8"))
    if not isinstance(data.get("targets"), list):
        raise Fatal(f"{FUZZ_RESULTS.relative_to(ROOT)}: no `targets` list")
    return data


def fuzz_status(fuzz):
    if fuzz is None:
        return "not run yet", False
    found = sum(int(t.get(k) or 0) for t in fuzz["targets"] for k in ("crashes", "timeouts", "ooms"))
    execs = sum(int(t.get("executions") or 0) for t in fuzz["targets"])
    # A finding counts as open until a later run of its target ends clean (its input is then a
    # regression test under fuzz/regressions/); the totals keep every finding ever made.
    open_ = [t.get("name", "?") for t in fuzz["targets"]
             if (t.get("last_run") or {}).get("exit_code", 1 if any(t.get(k) for k in ("crashes", "timeouts", "ooms")) else 0) != 0]
    text = (f"{len(fuzz['targets'])} targets, {execs:,} executions, {found} crashes/timeouts/OOMs found"
            + (f", last run not clean: {', '.join(open_)}" if open_ else ", every target's last run clean"))
    return ("FAIL: " if open_ else "pass: ") + text, bool(open_)


def fuzz_section(fuzz):
    rel = FUZZ_RESULTS.relative_to(ROOT).as_posix()
    if fuzz is None:
        return [
            "## Fuzzing",
            "",
            f"Not run yet: `{rel}` does not exist. The cargo-fuzz targets write it when they run; "
            "this section is rendered from it, never typed.",
            "",
        ]
    out = [
        "## Fuzzing",
        "",
        f"From [`{rel}`](../{rel}) (generated {fuzz.get('generated', '?')}, commit "
        f"`{fuzz.get('commit', '?')}`, {fuzz.get('machine', '?')}, {fuzz.get('rustc', '?')}).",
        "",
        "| target | executions | seconds | exec/s | corpus files | crashes | timeouts | OOMs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    findings = []
    for t in fuzz["targets"]:
        def num(k, fmt="{:,}"):
            v = t.get(k)
            return fmt.format(v) if isinstance(v, (int, float)) else "?"
        out.append(
            f"| `{t.get('name', '?')}` | {num('executions')} | {num('seconds', '{:,.0f}')} | "
            f"{num('execs_per_second', '{:,.0f}')} | {num('corpus_files')} | {num('crashes')} | "
            f"{num('timeouts')} | {num('ooms')} |"
        )
        for f in t.get("findings") or []:
            findings.append(f"* `{t.get('name', '?')}`: " + (f if isinstance(f, str) else json.dumps(f, ensure_ascii=False)))
    out += ["", "Findings:" if findings else "Findings: none recorded.", ""]
    if findings:
        out += findings + [""]
    return out


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def link(t):
    label = t["id"] if t["lang"] not in ("python", "node") else t["id"].split("/")[-1]
    return f"[`{label}`](../{t['file']}#L{t['line']})"


def row_result(tests, results):
    if not tests:
        return "**no test**", True
    counts = {"pass": 0, "FAIL": 0, "not run": 0}
    for t in tests:
        counts[results.get(t["id"], ("not run", ""))[0]] += 1
    parts = []
    if counts["FAIL"]:
        parts.append(f"**FAIL {counts['FAIL']}/{len(tests)}**")
    if counts["pass"]:
        parts.append(f"pass {counts['pass']}/{len(tests)}")
    if counts["not run"]:
        parts.append(f"not run {counts['not run']}/{len(tests)}")
    return ", ".join(parts), counts["FAIL"] > 0


def git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def report(rows, tests, results, fuzz, command, ran_bindings):
    by_slug = {}
    for t in tests:
        for s in t["slugs"]:
            by_slug.setdefault(s, []).append(t)
    commit = git("rev-parse", "--short=12", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no")
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip() or "?"
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Security results",
        "",
        f"Generated by `{command}` on {now} at commit `{commit}`"
        + (" with uncommitted changes" if dirty and dirty != "?" else "")
        + f", {rustc}. Do not edit: it is rewritten from SECURITY.md, the tests' `attack:` "
        "markers and the run's results (see `scripts/security-results.py`).",
        "",
        "Each row of [SECURITY.md](../../shared/docs/SECURITY.md) lists the tests that carry its id "
        "in an `attack:` marker and what happened when exactly those tests ran now. "
        + ("The Rust, C, Java, C# and Python tests were run."
           if ran_bindings else
           "Only the Rust tests were run; the bindings' show as not run (`--bindings` runs them)."),
        "",
    ]
    failures = []

    def tests_cell(slug):
        ts = by_slug.get(slug, [])
        return "<br>".join(link(t) for t in ts) if ts else "—"

    out += [
        "## Attack → defence → required test",
        "",
        "| id | attack | defence | required test | our tests | result |",
        "|---|---|---|---|---|---|",
    ]
    attacks, rules, beyond = rows
    for r in attacks:
        res, bad = row_result(by_slug.get(r["slug"], []), results)
        out.append(
            f"| `{r['slug']}` | {cell(r['title'])} | {cell(r['defence'])} | {cell(r['required'])} | "
            f"{tests_cell(r['slug'])} | {res} |"
        )
    out += ["", "## The five rules", "", "| id | rule | our tests | result |", "|---|---|---|---|"]
    for r in rules:
        res, _ = row_result(by_slug.get(r["slug"], []), results)
        out.append(f"| `{r['slug']}` | {r['n']}. {cell(r['title'])} | {tests_cell(r['slug'])} | {res} |")
    out += ["", "## Beyond unit tests", "", "| id | requirement | evidence | result |", "|---|---|---|---|"]
    for r in beyond:
        if r["slug"] in FROM_FUZZ_RESULTS:
            res, _ = fuzz_status(fuzz)
            evidence = "the Fuzzing section below (`fuzz/results.json`)"
        else:
            res, _ = row_result(by_slug.get(r["slug"], []), results)
            evidence = tests_cell(r["slug"])
        out.append(f"| `{r['slug']}` | {cell(r['title'])} | {evidence} | {res} |")
    out.append("")

    notes = [r for r in attacks + rules + beyond if r["slug"] in NOTES]
    if notes:
        out += ["## Notes", ""] + [f"* `{r['slug']}`: {NOTES[r['slug']]}" for r in notes] + [""]

    out += fuzz_section(fuzz)

    total = len(tests)
    counts = {"pass": 0, "FAIL": 0, "not run": 0}
    for t in tests:
        status, why = results.get(t["id"], ("not run", ""))
        counts[status] += 1
        if status == "FAIL":
            failures.append((t, why))
    proven = [r for r in attacks if by_slug.get(r["slug"])]
    out += [
        "## Summary",
        "",
        f"* {len(proven)} of {len(attacks)} attack rows, {sum(1 for r in rules if by_slug.get(r['slug']))} "
        f"of {len(rules)} rules and "
        f"{sum(1 for r in beyond if r['slug'] not in FROM_FUZZ_RESULTS and by_slug.get(r['slug']))} of "
        f"{sum(1 for r in beyond if r['slug'] not in FROM_FUZZ_RESULTS)} test-backed 'beyond' items have tests.",
        f"* {total} marked tests: {counts['pass']} passed, {counts['FAIL']} failed, {counts['not run']} not run.",
        f"* Fuzzing: {fuzz_status(fuzz)[0]}.",
        "",
    ]
    if failures:
        out += ["Failures:", ""]
        for t, why in failures:
            out += [f"* {link(t)}", "", "  ```", *("  " + l for l in why.splitlines()), "  ```", ""]
    return "\n".join(out).rstrip() + "\n", failures


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check-markers", action="store_true", help="static check only, runs nothing")
    ap.add_argument("--bindings", action="store_true", help="also run the C and Python marked tests")
    ap.add_argument("--security", type=Path, default=SECURITY_MD, help="SECURITY.md to read")
    ap.add_argument("--output", type=Path, default=OUTPUT, help="where to write the report")
    args = ap.parse_args()

    try:
        rows = parse_security(args.security)
        known = {r["slug"] for group in rows for r in group} - FROM_FUZZ_RESULTS
        tests, problems = scan_markers(known)
        covered = {s for t in tests for s in t["slugs"]}
        for group in rows:
            for r in group:
                if r["slug"] not in FROM_FUZZ_RESULTS and r["slug"] not in covered:
                    problems.append(f"no test carries `attack: {r['slug']}` ({r['title'][:70]})")
        if problems:
            raise Fatal("\n".join(problems))
        if args.check_markers:
            print(
                f"security-results: {sum(len(g) for g in rows)} SECURITY.md rows, "
                f"{len(tests)} marked tests, every row has a test"
            )
            return 0

        results = {}
        run_rust([t for t in tests if t["lang"] == "rust"], results)
        if args.bindings:
            for lang in PROGRAMS:
                program_tests = [t for t in tests if t["lang"] == lang]
                if program_tests:
                    run_program(lang, program_tests, results)
            py_tests = [t for t in tests if t["lang"] == "python"]
            if py_tests:
                run_python(py_tests, results)
            node_tests = [t for t in tests if t["lang"] == "node"]
            if node_tests:
                run_node(node_tests, results)
        fuzz = load_fuzz()
        command = "scripts/security-results.py" + (" --bindings" if args.bindings else "")
        text, failures = report(rows, tests, results, fuzz, command, args.bindings)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        not_run = [t for t in tests if t["id"] not in results]
        print(
            f"security-results: wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}: "
            f"{len(tests)} marked tests, {len(failures)} failed, {len(not_run)} not run"
        )
        for t, why in failures:
            print(f"FAIL {t['id']}\n{why}", file=sys.stderr)
        if failures or fuzz_status(fuzz)[1] or (args.bindings and not_run):
            return 1
        return 0
    except Fatal as e:
        print(f"security-results: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
