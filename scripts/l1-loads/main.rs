//! How fast the L1 cache feeds multiply-adds: eight independent chains of them, each
//! taking one operand from a 8 KiB buffer (in 512-bit and 256-bit vectors, the buffer
//! aligned and offset), against the same chains with both operands in registers.
//! Built by `scripts/l1-loads.sh` for this CPU; needs AVX-512F.

use std::arch::x86_64::*;
use std::hint::black_box;
use std::time::Instant;

#[repr(align(64))]
struct Buffer([f64; 1088]);

const REPS: usize = 10_000;

/// The fastest of 20 runs of `f`, in multiply-adds per ns (`count` per run).
fn rate(count: usize, f: impl Fn()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..20 {
        let start = Instant::now();
        f();
        best = best.min(start.elapsed().as_secs_f64());
    }
    count as f64 / (best * 1e9)
}

/// Eight chains of 512-bit multiply-adds over the buffer's first 1,024 values from `offset`.
#[target_feature(enable = "avx512f")]
fn loads_512(buffer: &Buffer, c: f64, offset: usize) -> f64 {
    let (mut acc, c) = ([_mm512_setzero_pd(); 8], _mm512_set1_pd(c));
    for _ in 0..REPS {
        // Opaque each time, so that the loads stay in the loop (else LLVM copies the
        // buffer to the stack once and reads the copy).
        let base = black_box(buffer.0[offset..].as_ptr());
        for i in (0..1024).step_by(64) {
            for (k, acc) in acc.iter_mut().enumerate() {
                // SAFETY: `offset + i + 8k + 8 <= 1088`.
                *acc = _mm512_fmadd_pd(unsafe { _mm512_loadu_pd(base.add(i + 8 * k)) }, c, *acc);
            }
        }
    }
    _mm512_reduce_add_pd(
        acc.into_iter()
            .fold(_mm512_setzero_pd(), |s, a| _mm512_add_pd(s, a)),
    )
}

/// Twelve chains of 256-bit multiply-adds over the buffer's first 1,008 values from
/// `offset`.
#[target_feature(enable = "avx2,fma")]
fn loads_256(buffer: &Buffer, c: f64, offset: usize) -> f64 {
    let (mut acc, c) = ([_mm256_setzero_pd(); 12], _mm256_set1_pd(c));
    for _ in 0..REPS {
        let base = black_box(buffer.0[offset..].as_ptr());
        for i in (0..1008).step_by(48) {
            for (k, acc) in acc.iter_mut().enumerate() {
                // SAFETY: `offset + i + 4k + 4 <= 1088`.
                *acc = _mm256_fmadd_pd(unsafe { _mm256_loadu_pd(base.add(i + 4 * k)) }, c, *acc);
            }
        }
    }
    let sum = acc
        .into_iter()
        .fold(_mm256_setzero_pd(), |s, a| _mm256_add_pd(s, a));
    let mut lanes = [0.0; 4];
    // SAFETY: four lanes.
    unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), sum) };
    lanes.iter().sum()
}

/// The same multiply-adds as `loads_512`, both operands in registers.
#[target_feature(enable = "avx512f")]
fn registers_512(c: f64) -> f64 {
    let (mut acc, c) = ([_mm512_setzero_pd(); 8], _mm512_set1_pd(c));
    for _ in 0..REPS * 16 {
        for acc in &mut acc {
            *acc = _mm512_fmadd_pd(c, c, *acc);
        }
    }
    _mm512_reduce_add_pd(
        acc.into_iter()
            .fold(_mm512_setzero_pd(), |s, a| _mm512_add_pd(s, a)),
    )
}

fn main() {
    assert!(
        is_x86_feature_detected!("avx512f"),
        "this CPU has no AVX-512F"
    );
    let buffer = Box::new(Buffer([0.5; 1088]));
    let c = 0.999;
    // SAFETY (each call): the CPU has AVX-512F, checked above (and so AVX2 and FMA).
    let registers = rate(REPS * 128, || {
        black_box(unsafe { registers_512(black_box(c)) });
    });
    println!("512-bit multiply-adds, operands in registers: {registers:.2}/ns");
    // Each width's chains, and how many multiply-adds a run of them does.
    let widths: [(usize, usize, unsafe fn(&Buffer, f64, usize) -> f64); 2] = [
        (512, REPS * 128, loads_512),
        (256, REPS * 21 * 12, loads_256),
    ];
    for (bits, count, chains) in widths {
        for (what, offset) in [
            ("aligned", 0),
            ("offset 8 bytes", 1),
            ("offset 32 bytes", 4),
        ] {
            let r = rate(count, || {
                black_box(unsafe { chains(&buffer, black_box(c), offset) });
            });
            println!(
                "{bits}-bit, one operand from L1 ({what}): {r:.2}/ns, {:.0} bytes/ns",
                r * (bits / 8) as f64
            );
        }
    }
}
