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

/// Hand the pages of freed memory back to the system.
///
/// glibc returns freed memory only from the top of the main heap, and only above a threshold
/// that it raises after each large block it frees; pages freed anywhere else stay resident. The
/// app frees a lot in bursts (each open, validation and outbox answer is parsed and dropped), so
/// the worker calls this when a send has finished and at least every [`TRIM_EVERY`]. `malloc_trim(0)`
/// walks every arena's free lists and advises the kernel that whole free pages are not needed;
/// it costs well under a millisecond here and frees nothing in use.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn release_freed_pages() -> bool {
    // SAFETY: malloc_trim only returns free memory to the system; it takes the arenas' own locks.
    unsafe { libc::malloc_trim(0) == 1 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_freed_pages() -> bool {
    false
}

/// The longest the worker goes without releasing freed pages while the app is in use.
pub const TRIM_EVERY: std::time::Duration = std::time::Duration::from_secs(60);
