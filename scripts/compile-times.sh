#!/usr/bin/env bash
# Measures, for a few architectures, the size of the expansion and the time a crate holding
# just that network takes to build (its dependencies already built), debug and release.
# Prints the table of docs/compile-times.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "expansion (prettyplease-formatted):"
cargo test -q --manifest-path "$root/Cargo.toml" -p mlp-macro --lib -- --ignored expansion_sizes --nocapture 2>/dev/null |
  grep -E "lines" | sed 's/^/  /'

mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "timing"
version = "0.0.0"
edition = "2024"
[lib]
path = "src/lib.rs"
[[bin]]
name = "timing"
path = "src/main.rs"
[dependencies]
mlp = { path = "$root", default-features = false, features = ["std"] }
TOML

# Seconds to rebuild the crate's `target` after a touch of `file`, in `profile`.
rebuild() {
  local profile=$1 file=$2 target=$3
  touch "$work/src/$file"
  local start end
  start=$(date +%s.%N)
  cargo build -q --profile "$profile" $target --manifest-path "$work/Cargo.toml"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

echo "build of a crate with one network (seconds; dependencies prebuilt):"
echo "  lib: a library exporting the network (its methods are #[inline]: compiled where called)"
echo "  bin: a program calling one method (value_and_gradient, or jacobian if several outputs)"
for net in "20, 10, 1, input = 52" "128, 128, 1, input = 64" \
           "256, 128, 10, input = 784, activation = relu" "256, 128, 1, input = 784"; do
  input=$(echo "$net" | sed -E 's/.*input = ([0-9]+).*/\1/')
  call="net.value_and_gradient(&x).1[0]"
  case "$net" in *", 10, input"*) call="net.jacobian(&x)[0][0]" ;; esac
  printf 'use mlp::mlp;\n#[mlp(%s)]\npub struct Net;\n' "$net" > "$work/src/lib.rs"
  cat > "$work/src/main.rs" <<RS
use mlp::mlp;
#[mlp($net)]
pub struct Net;
fn main() {
    let net = Net::zeros_boxed();
    let x = [0.5; $input];
    println!("{}", $call);
}
RS
  cargo build -q --all-targets --manifest-path "$work/Cargo.toml" 2>/dev/null
  cargo build -q --all-targets --release --manifest-path "$work/Cargo.toml" 2>/dev/null
  printf '  %-46s lib: debug %4.1f release %4.1f   bin: debug %4.1f release %4.1f\n' "$net" \
    "$(rebuild dev lib.rs --lib)" "$(rebuild release lib.rs --lib)" \
    "$(rebuild dev main.rs --bins)" "$(rebuild release main.rs --bins)"
done

# The seed again, from a program that calls every method and both batch kernels: what a
# crate pays when it uses everything (the methods are `#[inline]`, so each crate compiles
# the ones it calls, and only those).
cat > "$work/src/main.rs" <<'RS'
use mlp::{mlp, Network, ScalarNetwork};
#[mlp(20, 10, 1, input = 52)]
pub struct Net;
fn main() {
    let net = Net::zeros_boxed();
    let x = [0.5; 52];
    let mut s = net.forward(&x)[0] + net.jacobian(&x)[0][0] + net.jvp(&x, &x)[0];
    s += net.vjp(&x, &[1.0])[0] + net.value(&x) + net.gradient(&x)[0];
    s += net.value_and_gradient(&x).0 + net.hessian(&x)[0][0] + net.hvp(&x, &x)[0];
    s += net.value_gradient_hessian(&x).0 + net.laplacian(&x) + net.value_gradient_laplacian(&x).2;
    let blocks = [0.5; 16 * 52];
    let (mut g, mut y) = ([0.0; 16 * 52], [0.0; 16]);
    net.gradient_blocks_into(&blocks, &mut g).unwrap();
    net.forward_blocks_into(&blocks, &mut y).unwrap();
    println!("{s} {} {}", g[0], y[0]);
}
RS
printf 'use mlp::mlp;\n#[mlp(20, 10, 1, input = 52)]\npub struct Net;\n' > "$work/src/lib.rs"
cargo build -q --all-targets --release --manifest-path "$work/Cargo.toml"
printf '  %-46s every method: release %4.1f\n' "20, 10, 1, input = 52" "$(rebuild release main.rs --bins)"
# On the default target the block kernels and the bodies of more than 16,000 operations
# are apart (`inline = auto`): the same with every body in its method (`inline = all`).
sed -i 's/input = 52)]/input = 52, inline = all)]/' "$work/src/main.rs"
cargo build -q --all-targets --release --manifest-path "$work/Cargo.toml"
printf '  %-46s every method, inline = all: release %4.1f\n' "20, 10, 1, input = 52" \
  "$(rebuild release main.rs --bins)"
sed -i 's/, inline = all)]/)]/' "$work/src/main.rs"
# And built for x86-64-v3, as the README advises: the AVX kernels take longer to compile,
# and only the block kernels and the bodies of more than 80,000 operations (the Hessians)
# are compiled once, apart (the Laplacians' bodies, apart but `#[inline]`, are copied).
export RUSTFLAGS="-C target-cpu=x86-64-v3" CARGO_TARGET_DIR="$work/target-v3"
cargo build -q --all-targets --release --manifest-path "$work/Cargo.toml"
printf '  %-46s every method: release %4.1f (x86-64-v3)\n' "20, 10, 1, input = 52" \
  "$(rebuild release main.rs --bins)"
# And for this CPU, whose kernels may be AVX-512's.
export RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR="$work/target-native"
cargo build -q --all-targets --release --manifest-path "$work/Cargo.toml"
printf '  %-46s every method: release %4.1f (native)\n' "20, 10, 1, input = 52" \
  "$(rebuild release main.rs --bins)"
# And with every body compiled apart (`inline = none`), each in a codegen unit of its own.
sed -i 's/input = 52)]/input = 52, inline = none)]/' "$work/src/main.rs"
cargo build -q --all-targets --release --manifest-path "$work/Cargo.toml"
printf '  %-46s every method, inline = none: release %4.1f (native)\n' "20, 10, 1, input = 52" \
  "$(rebuild release main.rs --bins)"

# The same calls, each in a function of a module of its own: rustc gives each module a
# codegen unit of its own, so the cores share the work.
cat > "$work/src/main.rs" <<'RS'
use mlp::{mlp, Network, ScalarNetwork};
#[mlp(20, 10, 1, input = 52)]
pub struct Net;
macro_rules! modules {
    ($($m:ident: |$n:ident, $x:ident| $e:expr;)*) => {
        $(mod $m { use super::*; #[inline(never)] pub fn f($n: &Net, $x: &[f64; 52]) -> f64 { $e } })*
        fn all(n: &Net, x: &[f64; 52]) -> f64 { 0.0 $(+ $m::f(n, x))* }
    };
}
modules! {
    m1: |n, x| n.forward(x)[0];
    m2: |n, x| n.jacobian(x)[0][0];
    m3: |n, x| n.jvp(x, x)[0];
    m4: |n, x| n.vjp(x, &[1.0])[0];
    m5: |n, x| n.value(x);
    m6: |n, x| n.gradient(x)[0];
    m7: |n, x| n.value_and_gradient(x).0;
    m8: |n, x| n.hessian(x)[0][0];
    m9: |n, x| n.hvp(x, x)[0];
    m10: |n, x| n.value_gradient_hessian(x).0;
    m11: |n, x| n.laplacian(x);
    m12: |n, x| n.value_gradient_laplacian(x).2;
    m13: |n, x| { let mut g = [0.0; 16 * 52]; n.gradient_blocks_into(&[x[0]; 16 * 52], &mut g).unwrap(); g[0] };
    m14: |n, x| { let mut y = [0.0; 16]; n.forward_blocks_into(&[x[0]; 16 * 52], &mut y).unwrap(); y[0] };
}
fn main() {
    println!("{}", all(&Net::zeros_boxed(), &[0.5; 52]));
}
RS
cargo build -q --all-targets --release --manifest-path "$work/Cargo.toml"
printf '  %-46s every method, one module each: release %4.1f (native)\n' \
  "20, 10, 1, input = 52" "$(rebuild release main.rs --bins)"

# Three methods called from four modules: each module's codegen unit compiles a copy of
# each `#[inline]` method it calls; through one function of the program's, one copy; with
# `inline = none`, each body once, apart.
three="n.value_and_gradient(x).0 + n.hessian(x)[0][1] + n.laplacian(x)"
for how in "each module calling them" "through one function" "inline = none"; do
  call="$three" options=""
  if [ "$how" = "through one function" ]; then call="three(n, x)"; fi
  if [ "$how" = "inline = none" ]; then options=", inline = none"; fi
  cat > "$work/src/main.rs" <<RS
use mlp::mlp;
#[mlp(20, 10, 1, input = 52$options)]
pub struct Net;
#[allow(dead_code)]
pub fn three(n: &Net, x: &[f64; 52]) -> f64 {
    $three
}
macro_rules! modules {
    (\$(\$m:ident)*) => {
        \$(mod \$m { use super::*; pub fn f(n: &Net, x: &[f64; 52]) -> f64 { $call } })*
        fn all(n: &Net, x: &[f64; 52]) -> f64 { 0.0 \$(+ \$m::f(n, x))* }
    };
}
modules! { m1 m2 m3 m4 }
fn main() {
    println!("{}", all(&Net::zeros_boxed(), &[0.5; 52]));
}
RS
  cargo build -q --all-targets --release --manifest-path "$work/Cargo.toml" 2>/dev/null
  printf '  %-46s three methods from four modules (%s): release %4.1f (native)\n' \
    "20, 10, 1, input = 52" "$how" "$(rebuild release main.rs --bins)"
done
