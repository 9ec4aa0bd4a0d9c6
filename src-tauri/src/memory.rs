//! Fewer glibc malloc arenas for the app process.
//!
//! glibc gives each thread that allocates concurrently its own arena (up to 8 per core), and
//! memory freed in one is rarely returned to the system. The app's threads (tokio workers,
//! blocking file work, the worker) each decrypt and parse outbox entries and answers, so every
//! arena grew to its own high-water mark: in the 500-cycle soak (docs/e2e.md) two arenas halved
//! the app process's growth, with no visible cost (it is not allocation-bound).

/// Limit the arenas; call first thing in `main`, before other threads start.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn limit_malloc_arenas() {
    const ARENAS: libc::c_int = 2;
    // SAFETY: mallopt only sets an allocator parameter; M_ARENA_MAX applies to arenas created
    // later and is safe to set at any time. The return value only reports an unknown option.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn limit_malloc_arenas() {}
