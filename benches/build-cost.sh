#!/usr/bin/env bash
# What face-sdk adds to a user's clean build, side by side:
#   sdk:   a new binary crate that depends on face-sdk with its default features;
#   plain: the same crate depending only on what face-sdk stands on: reqwest with the
#          features face-sdk turns on (the workspace's reqwest line plus `rustls`), serde,
#          serde_json and tokio.
# Each is built from an empty target dir with the workspace's Cargo.lock, the two in turn
# (sdk first in odd pairs, plain first in even ones), PAIRS times (3 by default). Prints the
# wall times, the ratio of each pair and the median ratio. Then one `cargo build --timings`
# of the sdk crate with both API versions enabled (`features = ["v1_0"]` on top of the
# defaults) and the unit times of face-sdk and of face-sdk-types (its models, ids and error
# type) from its report.
#
#   benches/build-cost.sh [PAIRS]
set -euo pipefail
pairs="${1:-3}"
workspace="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d /tmp/face-build-cost.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0
unset CARGO_TARGET_DIR RUSTFLAGS

make_crate() { # name, dependencies, main
  mkdir -p "$scratch/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[workspace]\n\n[dependencies]\n%s\n' \
    "$1" "$2" >"$scratch/$1/Cargo.toml"
  printf '%s\n' "$3" >"$scratch/$1/src/main.rs"
  cp "$workspace/Cargo.lock" "$scratch/$1/Cargo.lock"
}

make_crate sdk "face-sdk = { path = \"$workspace/face-sdk\" }
tokio = { version = \"1\", features = [\"rt\", \"macros\"] }" \
'#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = face_sdk::FaceClient::new("https://example.invalid", "key");
    println!("{}", client.is_ok());
}'

# reqwest as the workspace declares it, plus the `rustls` feature face-sdk's default turns on.
reqwest_line=$(grep '^reqwest = ' "$workspace/Cargo.toml" | sed 's/features = \[/features = ["rustls", /')
make_crate plain "$reqwest_line
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"
tokio = { version = \"1\", features = [\"rt\", \"macros\", \"time\", \"fs\", \"io-util\", \"sync\"] }" \
'#[derive(serde::Deserialize)]
struct Answer { ok: bool }
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = reqwest::Client::builder().build();
    let answer: Result<Answer, _> = serde_json::from_str("{\"ok\":true}");
    println!("{} {}", client.is_ok(), answer.map(|a| a.ok).unwrap_or(false));
}'

build() { # crate -> seconds
  local target="$scratch/target-$1"
  rm -rf "$target"
  local start end
  start=$(date +%s.%N)
  (cd "$scratch/$1" && CARGO_TARGET_DIR="$target" cargo build -q >/dev/null 2>"$scratch/$1.log") ||
    { cat "$scratch/$1.log" >&2; exit 1; }
  end=$(date +%s.%N)
  rm -rf "$target"
  echo "$end - $start" | bc
}

ratios=()
for pair in $(seq 1 "$pairs"); do
  if [ $((pair % 2)) -eq 1 ]; then
    sdk=$(build sdk); plain=$(build plain)
  else
    plain=$(build plain); sdk=$(build sdk)
  fi
  ratio=$(echo "scale=3; $sdk / $plain" | bc)
  ratios+=("$ratio")
  printf 'pair %d: face-sdk %.1f s, plain %.1f s, ratio %s\n' "$pair" "$sdk" "$plain" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "median ratio: $median (target: at most 1.10)"

# face-sdk's own unit, both API versions enabled.
sed -i 's|face-sdk = { path = "\([^"]*\)" }|face-sdk = { path = "\1", features = ["v1_0"] }|' "$scratch/sdk/Cargo.toml"
target="$scratch/target-timings"
(cd "$scratch/sdk" && CARGO_TARGET_DIR="$target" cargo build -q --timings >/dev/null 2>"$scratch/timings.log") ||
  { cat "$scratch/timings.log" >&2; exit 1; }
report=$(ls "$target"/cargo-timings/cargo-timing-*.html | head -1)
python3 - "$report" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", text, re.S).group(1))
for name in ("face-sdk-types", "face-sdk"):
    for unit in units:
        if unit["name"] == name and unit.get("target", "").strip() in ("", "lib"):
            print(f"{name} unit (v1_2 + v1_0, rustls): {unit['duration']:.1f} s")
PY
