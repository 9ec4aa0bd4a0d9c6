//! The main window is created hidden (`"visible": false` in tauri.conf.json) and shown once its
//! page has loaded.
//!
//! In WebKitGTK's non-composited mode (what [`crate::rendering`] picks without a GPU), the first
//! draw of a mapped web view makes the UI process wait for the web process's backing store,
//! with a 500 ms timeout (`DidUpdateBackingStoreState` in WebKit's
//! `DrawingAreaProxyCoordinatedGraphics`). When that draw came before the web process was up,
//! the UI thread sat out the whole timeout and the page started loading ~500 ms late, in about
//! half of all launches (scripts/measure.sh: navigation at ~250 or ~750 ms). Showing the window
//! once the page has loaded means the web process is running by the first draw.
//!
//! If the page never loads (broken assets, a WebKit failure) the window is shown anyway after
//! [`SHOW_ANYWAY_AFTER`], so the app never stays invisible.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime, Window};

/// The main window's label (tauri.conf.json).
pub const MAIN_WINDOW: &str = "main";

/// The latest the main window is shown, counted from the end of set-up.
pub const SHOW_ANYWAY_AFTER: Duration = Duration::from_secs(3);

/// Show `window` if it is still hidden.
pub fn show<R: Runtime>(window: &Window<R>, why: &str) {
    if window.is_visible().unwrap_or(false) {
        return;
    }
    match window.show() {
        Ok(()) => tracing::info!(why, "main window shown"),
        Err(err) => tracing::warn!(error = %err, "the main window could not be shown"),
    }
}

/// Show the main window after [`SHOW_ANYWAY_AFTER`] if the page has not done it by then.
pub fn show_later_anyway<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SHOW_ANYWAY_AFTER).await;
        if let Some(main) = app.get_webview_window(MAIN_WINDOW) {
            show(&main.as_ref().window(), "page did not load in time");
        }
    });
}

/// Bring the main window to the front (another start of the app handed over to this one).
pub fn bring_to_front<R: Runtime>(app: &AppHandle<R>) {
    if let Some(main) = app.get_webview_window(MAIN_WINDOW) {
        let _ = main.unminimize();
        show(&main.as_ref().window(), "another start handed over");
        let _ = main.set_focus();
    }
}
