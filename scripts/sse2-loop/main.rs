//! What bounds the SSE2 `sums_rows` loop (`mlp-runtime/src/kernels/sse2.rs`) on the
//! default target: one term of two rows by four registers (16 `f64` multiply-adds) as
//! LLVM compiles it, against arrangements with fewer instructions, with more products a
//! term, and against its multiplications and additions alone. Each in cycles an iteration,
//! the clock measured by a chain of dependent integer additions (one a cycle). Built by
//! `scripts/sse2-loop.sh`; any x86-64.

use std::arch::asm;
use std::time::Instant;

const ITERATIONS: u64 = 20_000_000;

/// The core's clock in GHz: 400 million dependent additions.
fn ghz() -> f64 {
    let n = 400_000_000u64;
    let start = Instant::now();
    // SAFETY: registers only.
    unsafe {
        asm!("2:", "add {x}, 1", "add {x}, 1", "add {x}, 1", "add {x}, 1", "sub {n}, 4", "jnz 2b",
             n = inout(reg) n => _, x = out(reg) _);
    }
    n as f64 / start.elapsed().as_secs_f64() / 1e9
}

/// A loop of `ITERATIONS` over the body, every vector register starting at 1.0 (no
/// subnormal or garbage operand), `{p}` a 64-byte aligned buffer of ones; with its count
/// of instructions, the body's and the loop's own two (`dec`, `jnz`).
macro_rules! variant {
    ($name:ident, $($body:literal),* $(,)?) => {
        mod $name {
            pub const INSTRUCTIONS: usize = [$($body),*].len() + 2;
        }
        fn $name(buffer: &Buffer) {
            // SAFETY: reads the buffer's first 160 bytes; writes only the clobbered registers.
            unsafe {
                asm!(
                    "movapd xmm0, [{p}]", "movapd xmm1, [{p}]", "movapd xmm2, [{p}]",
                    "movapd xmm3, [{p}]", "movapd xmm4, [{p}]", "movapd xmm5, [{p}]",
                    "movapd xmm6, [{p}]", "movapd xmm7, [{p}]", "movapd xmm8, [{p}]",
                    "movapd xmm9, [{p}]", "movapd xmm10, [{p}]", "movapd xmm11, [{p}]",
                    "movapd xmm12, [{p}]", "movapd xmm13, [{p}]", "movapd xmm14, [{p}]",
                    "movapd xmm15, [{p}]",
                    "2:",
                    $($body,)*
                    "dec {n}",
                    "jnz 2b",
                    n = inout(reg) ITERATIONS => _, p = in(reg) buffer.0.as_ptr(),
                    out("rax") _, out("xmm0") _, out("xmm1") _, out("xmm2") _, out("xmm3") _,
                    out("xmm4") _, out("xmm5") _, out("xmm6") _, out("xmm7") _,
                    out("xmm8") _, out("xmm9") _, out("xmm10") _, out("xmm11") _,
                    out("xmm12") _, out("xmm13") _, out("xmm14") _, out("xmm15") _,
                );
            }
        }
    };
}

// As compiled (the seed's batch gradient, `W1[j][k]·d1[b][j]`): two broadcasts, four
// weight vectors loaded, three copies (SSE2's products overwrite an operand, and each
// broadcast serves four), the pointer's step as a `lea`: 30 instructions.
variant!(as_compiled,
    "movsd xmm9, [{p}]", "movsd xmm8, [{p} + 8]", "unpcklpd xmm9, xmm9",
    "movupd xmm10, [{p} + 64]", "movupd xmm11, [{p} + 80]",
    "movupd xmm12, [{p} + 96]", "movupd xmm13, [{p} + 112]",
    "movapd xmm14, xmm9", "mulpd xmm14, xmm10", "addpd xmm7, xmm14",
    "movapd xmm14, xmm9", "mulpd xmm14, xmm11", "addpd xmm6, xmm14",
    "movapd xmm14, xmm9", "mulpd xmm14, xmm12", "addpd xmm5, xmm14",
    "mulpd xmm9, xmm13", "addpd xmm4, xmm9",
    "unpcklpd xmm8, xmm8",
    "mulpd xmm10, xmm8", "addpd xmm3, xmm10",
    "mulpd xmm11, xmm8", "addpd xmm2, xmm11",
    "mulpd xmm12, xmm8", "addpd xmm1, xmm12",
    "mulpd xmm8, xmm13", "addpd xmm0, xmm8",
    "lea rax, [rax + 416]",
);

// Each weight vector loaded again for the second row in place of the copies: 31.
variant!(reloads,
    "movsd xmm9, [{p}]", "movsd xmm8, [{p} + 8]", "unpcklpd xmm9, xmm9", "unpcklpd xmm8, xmm8",
    "movupd xmm10, [{p} + 64]", "movupd xmm11, [{p} + 80]",
    "movupd xmm12, [{p} + 96]", "movupd xmm13, [{p} + 112]",
    "mulpd xmm10, xmm9", "addpd xmm7, xmm10", "mulpd xmm11, xmm9", "addpd xmm6, xmm11",
    "mulpd xmm12, xmm9", "addpd xmm5, xmm12", "mulpd xmm13, xmm9", "addpd xmm4, xmm13",
    "movupd xmm10, [{p} + 64]", "movupd xmm11, [{p} + 80]",
    "movupd xmm12, [{p} + 96]", "movupd xmm13, [{p} + 112]",
    "mulpd xmm10, xmm8", "addpd xmm3, xmm10", "mulpd xmm11, xmm8", "addpd xmm2, xmm11",
    "mulpd xmm12, xmm8", "addpd xmm1, xmm12", "mulpd xmm13, xmm8", "addpd xmm0, xmm13",
    "lea rax, [rax + 416]",
);

// Each weight vector read by the products themselves (a `mulpd` from aligned memory),
// the broadcasts copied: 29.
variant!(folded,
    "movsd xmm9, [{p}]", "movsd xmm8, [{p} + 8]", "unpcklpd xmm9, xmm9", "unpcklpd xmm8, xmm8",
    "movapd xmm15, xmm9", "mulpd xmm15, [{p} + 64]", "addpd xmm7, xmm15",
    "movapd xmm15, xmm9", "mulpd xmm15, [{p} + 80]", "addpd xmm6, xmm15",
    "movapd xmm15, xmm9", "mulpd xmm15, [{p} + 96]", "addpd xmm5, xmm15",
    "mulpd xmm9, [{p} + 112]", "addpd xmm4, xmm9",
    "movapd xmm15, xmm8", "mulpd xmm15, [{p} + 64]", "addpd xmm3, xmm15",
    "movapd xmm15, xmm8", "mulpd xmm15, [{p} + 80]", "addpd xmm2, xmm15",
    "movapd xmm15, xmm8", "mulpd xmm15, [{p} + 96]", "addpd xmm1, xmm15",
    "mulpd xmm8, [{p} + 112]", "addpd xmm0, xmm8",
    "lea rax, [rax + 416]",
);

// Three rows by four registers, folded likewise (every register in use): 42 for 24
// multiply-adds.
variant!(three_rows,
    "movsd xmm12, [{p}]", "movsd xmm13, [{p} + 8]", "movsd xmm14, [{p} + 16]",
    "unpcklpd xmm12, xmm12", "unpcklpd xmm13, xmm13", "unpcklpd xmm14, xmm14",
    "movapd xmm15, xmm12", "mulpd xmm15, [{p} + 64]", "addpd xmm0, xmm15",
    "movapd xmm15, xmm12", "mulpd xmm15, [{p} + 80]", "addpd xmm1, xmm15",
    "movapd xmm15, xmm12", "mulpd xmm15, [{p} + 96]", "addpd xmm2, xmm15",
    "mulpd xmm12, [{p} + 112]", "addpd xmm3, xmm12",
    "movapd xmm15, xmm13", "mulpd xmm15, [{p} + 64]", "addpd xmm4, xmm15",
    "movapd xmm15, xmm13", "mulpd xmm15, [{p} + 80]", "addpd xmm5, xmm15",
    "movapd xmm15, xmm13", "mulpd xmm15, [{p} + 96]", "addpd xmm6, xmm15",
    "mulpd xmm13, [{p} + 112]", "addpd xmm7, xmm13",
    "movapd xmm15, xmm14", "mulpd xmm15, [{p} + 64]", "addpd xmm8, xmm15",
    "movapd xmm15, xmm14", "mulpd xmm15, [{p} + 80]", "addpd xmm9, xmm15",
    "movapd xmm15, xmm14", "mulpd xmm15, [{p} + 96]", "addpd xmm10, xmm15",
    "mulpd xmm14, [{p} + 112]", "addpd xmm11, xmm14",
    "lea rax, [rax + 416]",
);

// The 16 multiplications and additions alone, each product from memory so that no chain
// but the sums' runs through the loop: 18.
variant!(arithmetic,
    "mulpd xmm8, [{p}]", "addpd xmm7, xmm8", "mulpd xmm9, [{p}]", "addpd xmm6, xmm9",
    "mulpd xmm10, [{p}]", "addpd xmm5, xmm10", "mulpd xmm11, [{p}]", "addpd xmm4, xmm11",
    "mulpd xmm12, [{p}]", "addpd xmm3, xmm12", "mulpd xmm13, [{p}]", "addpd xmm2, xmm13",
    "mulpd xmm14, [{p}]", "addpd xmm1, xmm14", "mulpd xmm15, [{p}]", "addpd xmm0, xmm15",
);

#[repr(align(64))]
struct Buffer([f64; 20]);

fn main() {
    let buffer = Buffer([1.0; 20]);
    // (name, loop, instructions an iteration, multiply-adds an iteration)
    let variants: [(&str, fn(&Buffer), usize, usize); 5] = [
        ("as compiled", as_compiled, as_compiled::INSTRUCTIONS, 16),
        ("reloads", reloads, reloads::INSTRUCTIONS, 16),
        ("folded", folded, folded::INSTRUCTIONS, 16),
        ("three rows", three_rows, three_rows::INSTRUCTIONS, 24),
        ("arithmetic", arithmetic, arithmetic::INSTRUCTIONS, 16),
    ];
    println!("cycles an iteration, the fastest of five rounds (instructions a cycle)");
    let mut best = [f64::INFINITY; 5];
    let mut clock = 0.0f64;
    for _ in 0..5 {
        let ghz = ghz();
        clock = clock.max(ghz);
        for ((_, run, _, _), best) in variants.iter().zip(&mut best) {
            let start = Instant::now();
            run(&buffer);
            let cycles = start.elapsed().as_secs_f64() * ghz * 1e9 / ITERATIONS as f64;
            *best = best.min(cycles);
        }
    }
    println!("clock: {clock:.2} GHz");
    for ((name, _, instructions, madds), cycles) in variants.iter().zip(best) {
        println!(
            "{name:12} {instructions:2} instructions {cycles:6.2} ({:.2}), \
             {:.2} cycles for 16 multiply-adds",
            *instructions as f64 / cycles,
            cycles * 16.0 / *madds as f64,
        );
    }
}
