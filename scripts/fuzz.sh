#!/usr/bin/env bash
# `make fuzz`: seeds, then each cargo-fuzz target for FUZZ_SECONDS (one after another, one job),
# and the executions and findings added to fuzz/results.json (scripts/fuzz_record.py).
# FUZZ_TARGETS picks targets; FUZZ_SANITIZER=address trades speed for ASan on the Rust side.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-parse wk_response decrypt xades_verify}
sanitizer=${FUZZ_SANITIZER:-none}
# The generated seeds are 2–13 kB; mutations may grow them a little.
max_len=${FUZZ_MAX_LEN:-16384}
corpus_root="$root/target/fuzz-corpus"
out="$root/target/fuzz-out"
"$root/scripts/install-fuzz.sh"
cd "$root/fuzz"
cargo run --quiet --locked --example seeds -- --out "$corpus_root"
# cargo-fuzz passes nightly-only flags (-Z...); the stable toolchain accepts them with this
# (set after the seeds: it would rebuild their dependencies).
export RUSTC_BOOTSTRAP=1
for t in $targets; do
    case $t in
        parse | wk_response | decrypt | xades_verify) ;;
        *) echo "fuzz: unknown target $t" >&2; exit 2 ;;
    esac
    mkdir -p "$out/$t/artifacts"
    cat dict/common.dict "dict/$t.dict" > "$out/$t/dict"
    log="$out/$t/last.log"
    echo "fuzz: $t for ${seconds}s (log $log)"
    started=$(date +%s)
    set +e
    nice -n 19 cargo fuzz run --release --sanitizer "$sanitizer" "$t" "$corpus_root/$t" -- \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -dict="$out/$t/dict" -artifact_prefix="$out/$t/artifacts/" \
        >"$log" 2>&1
    rc=$?
    set -e
    ended=$(date +%s)
    grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "$log" || true
    python3 "$root/scripts/fuzz_record.py" --target "$t" --log "$log" --rc "$rc" \
        --seconds $((ended - started)) --corpus "$corpus_root/$t" \
        --artifacts "$out/$t/artifacts" --results "$root/fuzz/results.json"
done
