//! KYB Desk desktop shell: windows, the rendering choice, start-up and IPC adapters over the
//! Tauri-free application crate `kyb-app` (docs/ARCHITECTURE.md).
//!
//! - [`commands`]: what the page may call (docs/desktop-ipc.md), a few lines each.
//! - [`rendering`]: CPU drawing in WebKit when the machine has no GPU.
//! - [`early_start`]: the state starts while Tauri builds the window; [`window_reveal`]: the main
//!   window is shown once its page has loaded.

pub mod commands;
pub mod early_start;
pub mod rendering;
pub mod window_reveal;

use std::sync::Arc;
use std::time::Duration;

use kyb_app::{memory, AppState};
use tauri::{Manager, RunEvent, Runtime};

use crate::early_start::EarlyStart;

/// The app's configuration, capabilities and (with `custom-protocol`) the built UI, compiled in.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Start the desktop app (the binary's `main`).
pub fn run() {
    let started = std::time::Instant::now();
    // Before GTK, WebKit or tokio start any thread.
    memory::limit_malloc_arenas();
    let rendering = rendering::choose();
    init_logging();
    tracing::info!(?rendering, "rendering chosen");
    let context = context();
    let early_start = EarlyStart::begin(&context.config().identifier);
    let app = tauri::Builder::default()
        // First: a second start hands its arguments to the running app (which comes to the
        // front) and exits before it touches anything. The data-folder lock taken by
        // `AppState::start` is what keeps the CLI and other processes out.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| window_reveal::bring_to_front(app)))
        // "Open folder" after an export: used by our own `reveal_export` command only; the
        // capability grants the page none of the plugin's permissions.
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(commands::handler())
        // Start-up milestones for the log (launch time is measured by scripts/measure.sh).
        .on_page_load(move |webview, payload| {
            let event = match payload.event() {
                tauri::webview::PageLoadEvent::Started => "started",
                tauri::webview::PageLoadEvent::Finished => "finished",
            };
            tracing::info!(event, ms_since_start = started.elapsed().as_millis() as u64, "page load");
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                window_reveal::show(&webview.window(), "page loaded");
            }
        })
        .setup(move |app| {
            tracing::info!(ms_since_start = started.elapsed().as_millis() as u64, "set-up started");
            let paths = app.path();
            let dirs = (paths.app_config_dir()?, paths.app_data_dir()?);
            let state = match early_start.and_then(|early| early.finish(&dirs)) {
                Some(started) => started?,
                None => {
                    let config = early_start::state_config(dirs, paths.download_dir().ok());
                    tauri::async_runtime::block_on(AppState::start(config))?
                }
            };
            let state = Arc::new(state);
            app.manage(state.clone());
            kyb_app::use_cases::team::sync::spawn(state.clone(), tauri::async_runtime::handle().inner());
            kyb_app::worker::spawn(state, tauri::async_runtime::handle().inner());
            window_reveal::show_later_anyway(app.handle().clone());
            tracing::info!(ms_since_start = started.elapsed().as_millis() as u64, "set-up done");
            Ok(())
        })
        .build(context);
    let app = match app {
        Ok(app) => app,
        Err(err) => {
            tracing::error!(error = %err, "the app could not start");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            if let Some(state) = handle.try_state::<Arc<AppState>>() {
                tauri::async_runtime::block_on(state.worker().stop_and_wait(Duration::from_secs(3)));
                state.release_data_folder();
            }
        }
    });
}

/// Log to stderr; `RUST_LOG` filters (default `info`). Nothing logged ever holds a secret.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).try_init();
}
