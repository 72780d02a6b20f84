//! The stack frame of a generated body, aligned to a cache line.
//!
//! A body keeps what does not fit in registers on the stack (its matrices of sums, the
//! vectors it spills), and reads it back in 256- and 512-bit vectors. The stack is aligned
//! to 16 bytes only, and where a frame starts modulo 64 changes from one run of a program
//! to the next (the kernel places the stack at random) and with the callers' frames: at 16
//! or 48 bytes past a cache line, half of those reads and writes straddle two lines. On a
//! Zen 4 the seed network's `value_gradient_laplacian`, called apart, took 1,030–1,094 ns
//! at 16 or 48 bytes and 845–888 at 0 or 32, the same code; the 3-64-64-64-1 network's
//! `laplacian` and `hvp` 6–9 % more or less by the same bytes (docs/performance-log.md,
//! "The thirty-seventh session"). Realigned to 64 bytes, a frame is laid out the same way
//! every time, its vector spills on whole lines.

/// Aligns the frame of the function it is inlined into to 64 bytes, on targets with AVX's
/// 256-bit vectors (SSE's 16 bytes never straddle a line of the 16-byte aligned stack);
/// elsewhere nothing. A 64-byte aligned local whose address an empty `asm!` takes
/// (touching no memory) makes LLVM realign the frame in the function's prologue: a few
/// instructions a call, once for a body inlined into a loop's function. Not under Miri,
/// which runs no assembly (and has no cache lines to straddle).
#[inline(always)]
pub fn align_frame() {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx", not(miri)))]
    {
        #[repr(C, align(64))]
        struct Line([u8; 64]);
        let line = core::mem::MaybeUninit::<Line>::uninit();
        // SAFETY: the assembly is empty: it reads nothing, writes nothing, and leaves the
        // stack and the flags alone; it only takes the address.
        #[allow(
            clippy::pointers_in_nomem_asm_block,
            reason = "the address is all the assembly takes: it reads nothing through it"
        )]
        unsafe {
            core::arch::asm!(
                "/* {0} */",
                in(reg) line.as_ptr(),
                options(nomem, nostack, preserves_flags)
            );
        }
    }
}
