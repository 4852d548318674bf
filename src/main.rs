//! The `survlit` binary: parse arguments, run, map the outcome to an exit code.

/// mimalloc: the pool command allocates many small, short-lived buffers per
/// row and per iteration; glibc's allocator spent a third of the k = 10⁵
/// benchmark in page faults and consolidation.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    survlit::cli::main()
}
