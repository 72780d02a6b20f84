//! The table after the run: each time read back from criterion's estimates, its floor, and
//! the ratio.

use std::path::PathBuf;

use crate::BATCH;
use crate::floor::{ACTIVATIONS, FMA_PEAK_OPS};
use mlp::__private::BLOCK;

/// A network's widths: input, hidden layers, output.
struct Arch {
    name: &'static str,
    widths: &'static [usize],
}

const SEED: Arch = Arch {
    name: "seed",
    widths: &[52, 20, 10, 1],
};
const WIDE: Arch = Arch {
    name: "wide",
    widths: &[64, 128, 128, 1],
};
const CONTROL: Arch = Arch {
    name: "control",
    widths: &[12, 32, 32, 6],
};
const PINN: Arch = Arch {
    name: "pinn",
    widths: &[3, 64, 64, 64, 1],
};

/// The benchmark networks.
const NETWORKS: [Arch; 4] = [SEED, WIDE, CONTROL, PINN];

/// Each benchmark network's name and parameter count (weights and biases).
pub fn parameters() -> [(&'static str, usize); 4] {
    NETWORKS.map(|arch| {
        let count = arch.widths.windows(2).map(|w| (w[0] + 1) * w[1]).sum();
        (arch.name, count)
    })
}

impl Arch {
    /// `Σ_l n_l·n_(l-1)`: the multiply-adds of a forward sweep.
    fn forward(&self) -> f64 {
        self.widths.windows(2).map(|w| (w[0] * w[1]) as f64).sum()
    }

    /// Hidden units: one activation (value and derivative) each.
    fn hidden(&self) -> f64 {
        self.widths[1..self.widths.len() - 1].iter().sum::<usize>() as f64
    }

    /// `(multiply-adds, activations)` of a method: the floor model of BENCHMARKS.md.
    fn work(&self, method: &str) -> (f64, f64) {
        let w = self.widths;
        let (input, out) = (w[0] as f64, *w.last().unwrap() as f64);
        // The last hidden layer's width, `n_(L-1)`.
        let last = w[w.len() - 2] as f64;
        // The reverse sweep: every layer's matrix once more, and one product per unit.
        let reverse = self.forward() - last * out + self.hidden();
        let value_and_gradient = self.forward() + reverse + last;
        // Each pre-activation's Jacobian past the first layer: (n_l × n_(l-1)) · input.
        let beyond_first: f64 = w[1..].windows(2).map(|p| (p[0] * p[1]) as f64).sum();
        match method {
            "forward" | "batch-forward" => (self.forward(), self.hidden()),
            "value_and_gradient"
            | "batch-gradient"
            | "batch-value_and_gradient"
            | "batch-gradient_into"
            | "batch-value_and_gradient_into" => (value_and_gradient, self.hidden()),
            // Forward over reverse: the gradient's work twice over, but for the gradient's
            // own last product `W₁ᵀ·δ₁`, which `H·v` does not need (its tangent is `H·v`).
            "hvp" | "batch-hvp" => (
                2.0 * value_and_gradient - input * w[1] as f64,
                self.hidden(),
            ),
            // The hidden layers' input Jacobians, their squared norms, and the second-order
            // sums through every layer past the first (`z̈_l = W_l·ä_(l-1)`).
            "laplacian" | "batch-laplacian" => (
                self.forward() + input * (beyond_first + self.hidden()) + beyond_first,
                self.hidden(),
            ),
            // The Laplacian's, and the gradient read off the first tangents: the output
            // layer's matrix times the last hidden layer's Jacobian.
            "value_gradient_laplacian" | "batch-value_gradient_laplacian" => (
                self.forward()
                    + input * (beyond_first + self.hidden())
                    + beyond_first
                    + input * last * out,
                self.hidden(),
            ),
            // The fewer of two derivations: the tangent sweep along every input of the
            // reverse sweep, the last product (Wᵀ·D·W) on one triangle; or each layer's
            // Jacobian, a reverse sweep, and each hidden unit's triangle of curvature.
            // With the gradient (`value_gradient_hessian`): the tangents' way needs its last
            // product `W₁ᵀ·δ₁` too, which the curvature's reverse sweep has.
            "hessian"
            | "hessian_to"
            | "batch-hessian"
            | "value_gradient_hessian"
            | "batch-value_gradient_hessian" => {
                let triangle = input * (input + 1.0) / 2.0;
                let gradient = match method.ends_with("value_gradient_hessian") {
                    true => input * w[1] as f64,
                    false => 0.0,
                };
                let tangents = 2.0 * input * beyond_first + triangle * w[1] as f64 + gradient;
                let curvature = input * beyond_first + reverse + triangle * self.hidden();
                (self.forward() + tangents.min(curvature), self.hidden())
            }
            // The forward sweep but for the outputs' values, then a reverse sweep per output.
            "jacobian" | "batch-jacobian" => {
                (self.forward() - last * out + out * reverse, self.hidden())
            }
            // The same with the outputs' values.
            "forward_and_jacobian" | "batch-forward_and_jacobian" => {
                (self.forward() + out * reverse, self.hidden())
            }
            // The forward sweep but for the outputs' values, which neither product returns,
            // then its tangent (every matrix again, a product per hidden unit) or the reverse
            // sweep from `uᵀ` (`W_Lᵀ·u`, then the gradient's): as many as `reverse` either way.
            "batch-jvp" | "batch-vjp" => (self.forward() + reverse, self.hidden()),
            _ => (f64::NAN, f64::NAN),
        }
    }

    /// How many times a call reads every weight at least: once per sweep, forward and
    /// reverse; a batch's block of samples shares each read.
    fn passes(method: &str) -> f64 {
        match method {
            "forward" => 1.0,
            "batch-forward" => 1.0 / BLOCK as f64,
            "batch-gradient"
            | "batch-value_and_gradient"
            | "batch-gradient_into"
            | "batch-value_and_gradient_into"
            | "batch-hvp"
            | "batch-jvp"
            | "batch-vjp"
            | "batch-jacobian"
            | "batch-forward_and_jacobian"
            | "batch-laplacian"
            | "batch-value_gradient_laplacian"
            | "batch-hessian"
            | "batch-value_gradient_hessian" => 2.0 / BLOCK as f64,
            _ => 2.0,
        }
    }
}

/// The time of one call in the fastest of criterion's samples of a benchmark, in
/// nanoseconds, over this run (`new`) and the one kept as criterion's baseline (`base`). Each
/// sample is the mean over thousands of calls; on a shared machine a neighbour's load only
/// ever adds time, and comes and goes over tens of seconds, so the fastest sample is the
/// steadiest estimate of what the code costs (the floor is measured alike). A plain run
/// overwrites `base` with itself; BENCHMARKS.md's second run, `-- --save-baseline second`,
/// leaves the first run there.
fn estimate(group: &str, id: &str) -> Option<f64> {
    let root =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let fastest = |run: &str| -> Option<f64> {
        let path = root
            .join("criterion")
            .join(group)
            .join(id)
            .join(run)
            .join("sample.json");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        let (iters, times) = (json["iters"].as_array()?, json["times"].as_array()?);
        iters
            .iter()
            .zip(times)
            .filter_map(|(n, t)| Some(t.as_f64()? / n.as_f64()?))
            .reduce(f64::min)
    };
    ["new", "base"]
        .into_iter()
        .filter_map(fastest)
        .reduce(f64::min)
}

/// Prints the table of every benchmark with a floor.
pub fn print() {
    let rate = |id: &str| estimate("floor", id).map(|ns| FMA_PEAK_OPS as f64 / ns);
    // Without FMA, the faster of the chains and the products off them (`floor.rs`).
    let peak = |id: &str| {
        let loads = rate(&format!("{id}-loads"));
        rate(id).map(|chains| loads.map_or(chains, |loads| chains.max(loads)))
    };
    let activation = |id| estimate("floor", id).map(|ns| ns / ACTIVATIONS as f64);
    let (Some(rate64), Some(rate32), Some(act64), Some(act32)) = (
        peak("fma-f64"),
        peak("fma-f32"),
        activation("tanh-f64"),
        activation("tanh-f32"),
    ) else {
        return;
    };
    // Bytes per nanosecond, reading each network's weights (f64) over and over.
    let mut bandwidths = Vec::new();
    for (name, count) in parameters() {
        let Some(ns) = estimate("floor", &format!("stream-{name}")) else {
            return;
        };
        bandwidths.push((count * 8) as f64 / ns);
    }
    let reads: Vec<String> = NETWORKS
        .iter()
        .zip(&bandwidths)
        .map(|(arch, rate)| format!("{} {rate:.0}", arch.name))
        .collect();
    // On AVX-512 targets, the `f64` floor of 256-bit vectors too.
    let rate256 = rate("fma-f64-256");
    let narrow = rate256.map_or_else(String::new, |r| format!(" ({r:.2} in 256-bit vectors)"));
    println!(
        "\nfloor: {rate64:.2} f64 multiply-adds/ns{narrow} ({rate32:.2} f32); tanh and its derivative {act64:.2} ns ({act32:.2} f32); weights read at {} bytes/ns\n",
        reads.join(", ")
    );
    // The 256-bit column where there is a 256-bit floor apart from the target's own.
    let (header, rule) = match rate256 {
        Some(_) => (" ratio, 256-bit floor |", " ---: |"),
        None => ("", ""),
    };
    let mut figures = Vec::new();
    println!("| network | implementation | method | time | floor | bound | ratio |{header}");
    println!("| --- | --- | --- | ---: | ---: | --- | ---: |{rule}");
    for ((arch, (_, count)), bandwidth) in NETWORKS.iter().zip(parameters()).zip(bandwidths) {
        let count = count as f64;
        for implementation in [
            "mlp",
            "mlp-unrolled",
            "mlp-f32",
            "reference",
            "plain",
            "nalgebra",
            "num-dual",
        ] {
            for method in [
                "forward",
                "value_and_gradient",
                "jacobian",
                "forward_and_jacobian",
                "hvp",
                "laplacian",
                "value_gradient_laplacian",
                "hessian",
                "hessian_to",
                "batch-forward",
                "batch-gradient",
                "batch-value_and_gradient",
                "batch-gradient_into",
                "batch-value_and_gradient_into",
                "batch-hvp",
                "batch-jvp",
                "batch-vjp",
                "batch-jacobian",
                "batch-forward_and_jacobian",
                "batch-laplacian",
                "batch-value_gradient_laplacian",
                "batch-hessian",
                "batch-value_gradient_hessian",
            ] {
                let id = format!("{implementation}-{method}");
                let Some(mut ns) = estimate(arch.name, &id) else {
                    continue;
                };
                let mut label = method.to_owned();
                if method.starts_with("batch") {
                    ns /= BATCH as f64;
                    label.push_str(" (per sample)");
                }
                let (ops, acts) = arch.work(method);
                let (r, a, bytes) = if implementation == "mlp-f32" {
                    (rate32, act32, 4.0)
                } else {
                    (rate64, act64, 8.0)
                };
                // The arithmetic, or reading the weights, whichever takes longer.
                let memory = Arch::passes(method) * count * bytes / bandwidth;
                let floor = |rate: f64| (ops / rate + acts * a).max(memory);
                let bound = if memory > ops / r + acts * a {
                    "memory"
                } else {
                    "arithmetic"
                };
                let narrow = match rate256 {
                    Some(r256) if bytes == 8.0 => format!(" {:.2} |", ns / floor(r256)),
                    Some(_) => " — |".to_owned(),
                    None => String::new(),
                };
                println!(
                    "| {} | {implementation} | {label} | {} | {} | {bound} | {:.2} |{narrow}",
                    arch.name,
                    time(ns),
                    time(floor(r)),
                    ns / floor(r)
                );
                figures.push(Figure {
                    id: format!("{}/{id}", arch.name),
                    ns,
                    floor: floor(r),
                    floor256: rate256.filter(|_| bytes == 8.0).map(floor),
                });
            }
        }
    }
    goals(&figures);
}

/// One line of the table: a benchmark's time (a sample's, for a batch) and its floor.
struct Figure {
    /// `network/implementation-method`, as criterion names it.
    id: String,
    ns: f64,
    floor: f64,
    /// In 256-bit vectors, where the target has wider ones.
    floor256: Option<f64>,
}

/// What a goal bounds: a time's ratio to its floor, or the time itself.
enum Bound {
    Ratio(f64),
    Nanoseconds(f64),
}

/// The performance issue's goals that a run of this bench measures, set for a Zen 4
/// built with `-C target-cpu=native` (BENCHMARKS.md, "Against the goals"): a single
/// call's `value_and_gradient` within a ratio to its floor, per network…
const CALLS: [(&str, f64); 2] = [("seed", 1.3), ("wide", 1.5)];

/// …and a batch's gradients, with the value and without, in at most so many nanoseconds a
/// sample: into a new array a batch and into arrays reused (`_into`).
const BATCHES: [(&str, f64); 2] = [("seed", 150.0), ("wide", 2000.0)];
const BATCH_METHODS: [&str; 4] = [
    "batch-gradient",
    "batch-value_and_gradient",
    "batch-gradient_into",
    "batch-value_and_gradient_into",
];

/// Each goal against this run's figures, with the machine they were measured on: the
/// goals hold for the machine, so the model is part of the verdict.
fn goals(figures: &[Figure]) {
    println!(
        "\ngoals (set for a Zen 4, `-C target-cpu=native`), on {}:\n",
        cpu()
    );
    let calls = CALLS.map(|(network, most)| {
        (
            format!("{network}/mlp-value_and_gradient"),
            Bound::Ratio(most),
        )
    });
    let batches = BATCHES.iter().flat_map(|&(network, most)| {
        BATCH_METHODS.map(|method| (format!("{network}/mlp-{method}"), Bound::Nanoseconds(most)))
    });
    for (id, bound) in calls.into_iter().chain(batches) {
        let Some(figure) = figures.iter().find(|f| f.id == id) else {
            println!("- {id}: not measured in the last two runs");
            continue;
        };
        let (ratio, time) = (figure.ns / figure.floor, time(figure.ns));
        let (goal, met) = match bound {
            Bound::Ratio(most) => (format!("≤ {most}× its floor"), ratio <= most),
            Bound::Nanoseconds(most) => (format!("≤ {}", self::time(most)), figure.ns <= most),
        };
        let verdict = if met { "met" } else { "not met" };
        let narrow = figure.floor256.map_or_else(String::new, |floor| {
            format!(" ({:.2}× in 256-bit vectors)", figure.ns / floor)
        });
        println!("- {id} {goal}: {time}, {ratio:.2}× its floor{narrow}: {verdict}");
    }
}

/// The CPU's model name, family and model (`/proc/cpuinfo` on x86), else its architecture.
fn cpu() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |key: &str| {
        (info.lines().filter_map(|line| line.split_once(':')))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, value)| value.trim().to_owned())
    };
    match (field("model name"), field("cpu family"), field("model")) {
        (Some(name), Some(family), Some(model)) => {
            format!("{name} (family {family}, model {model})")
        }
        _ => format!("an {} CPU", std::env::consts::ARCH),
    }
}

fn time(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.2} µs", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}
