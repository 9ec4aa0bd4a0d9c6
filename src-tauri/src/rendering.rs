//! How WebKitGTK draws, chosen once before GTK starts.
//!
//! Without a GPU (no DRM render node: virtual machines, remote desktops, headless test runs)
//! "GPU" means Mesa's llvmpipe. There WebKit's accelerated compositing and Skia GPU painting
//! make LLVM compile shaders on the CPU: about 1.5 s of CPU at every start and ~100 MiB more in
//! the web process (measured under Xvfb; docs/e2e.md). A forms app gains nothing from them, so
//! without a render node the app asks WebKit to composite and paint on the CPU (and to skip the
//! DMA-BUF renderer that only composited pages use). With a GPU,
//! WebKit's defaults stay. A `WEBKIT_*` variable the user set always wins, and
//! `KYB_DESK_RENDERING=cpu|webkit` forces either choice (scripts/measure.sh compares both).

use std::path::Path;

/// Environment variables WebKitGTK reads at start-up (UI and web processes inherit them).
const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
const SKIA_CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
/// Without compositing the UI process has no use for the DMA-BUF renderer, whose set-up loads
/// Mesa's driver and keeps ~5 MiB more in the app process (scripts/measure.sh).
const DISABLE_DMABUF_RENDERER: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// `cpu` or `webkit` (WebKit's defaults): overrides the rule.
pub const OVERRIDE: &str = "KYB_DESK_RENDERING";

/// What [`choose`] decided, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// A GPU render node exists, or the user chose through `WEBKIT_*` variables.
    WebKitDefaults,
    /// No render node: compositing and painting on the CPU.
    Cpu,
}

/// Decide and export the variables. Call first thing in `main`, before any thread starts
/// (changing the environment is only sound while the process is single-threaded).
#[cfg(target_os = "linux")]
pub fn choose() -> Rendering {
    let user_chose = [DISABLE_COMPOSITING, SKIA_CPU_RENDERING, DISABLE_DMABUF_RENDERER, "WEBKIT_FORCE_COMPOSITING_MODE"]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    let decision = match std::env::var(OVERRIDE).ok().as_deref() {
        Some("cpu") => Rendering::Cpu,
        Some("webkit") => Rendering::WebKitDefaults,
        _ => decide(has_render_node(Path::new("/dev/dri")), user_chose),
    };
    if decision == Rendering::Cpu {
        std::env::set_var(DISABLE_COMPOSITING, "1");
        std::env::set_var(SKIA_CPU_RENDERING, "1");
        std::env::set_var(DISABLE_DMABUF_RENDERER, "1");
    }
    decision
}

#[cfg(not(target_os = "linux"))]
pub fn choose() -> Rendering {
    Rendering::WebKitDefaults
}

/// The rule, apart from the machine.
pub fn decide(render_node: bool, user_chose: bool) -> Rendering {
    if render_node || user_chose {
        Rendering::WebKitDefaults
    } else {
        Rendering::Cpu
    }
}

/// Whether `dri` holds a DRM render node (`renderD128`, ...), i.e. a GPU driver is loaded.
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| entries.flatten().any(|entry| entry.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_only_without_a_render_node_and_without_a_user_choice() {
        assert_eq!(decide(false, false), Rendering::Cpu);
        assert_eq!(decide(true, false), Rendering::WebKitDefaults);
        assert_eq!(decide(false, true), Rendering::WebKitDefaults);
        assert_eq!(decide(true, true), Rendering::WebKitDefaults);
    }

    #[test]
    fn render_nodes_are_found_by_name() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        assert!(!has_render_node(dir.path()), "a card node alone is display only");
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dir.path()));
        assert!(!has_render_node(&dir.path().join("missing")));
    }
}
