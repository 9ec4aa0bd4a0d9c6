//! Fails when the desktop shell's security settings loosen: the CSP, `withGlobalTauri`, the
//! capability (only the app's own commands, only for the main window), or a plugin that gives
//! the page files, processes, HTTP or dialogs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: impl AsRef<Path>) -> String {
    let path = manifest_dir().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn json(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// `directive -> sources` of a CSP string.
fn parse_csp(csp: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut directives = BTreeMap::new();
    for part in csp.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let mut words = part.split_whitespace();
        let name = words.next().unwrap().to_ascii_lowercase();
        let sources: BTreeSet<String> = words.map(str::to_owned).collect();
        assert!(directives.insert(name.clone(), sources).is_none(), "directive {name} twice");
    }
    directives
}

/// Every directive must be one of `allowed` with sources among the allowed ones, and every
/// directive of `required` must be present.
fn check_csp(csp: &str, allowed: &[(&str, &[&str])], required: &[&str]) {
    let directives = parse_csp(csp);
    let allowed: BTreeMap<&str, BTreeSet<&str>> =
        allowed.iter().map(|(name, sources)| (*name, sources.iter().copied().collect())).collect();
    for (name, sources) in &directives {
        let Some(permitted) = allowed.get(name.as_str()) else {
            panic!("CSP directive {name} is not in the reviewed list: {csp}");
        };
        for source in sources {
            let lower = source.to_ascii_lowercase();
            assert!(!lower.contains("unsafe-eval") && !lower.contains("wasm-unsafe-eval"), "{name} allows eval: {csp}");
            assert!(!lower.contains("unsafe-hashes") && lower != "*" && !lower.ends_with("://*"), "{name}: {source}");
            assert!(permitted.contains(source.as_str()), "CSP {name} gained {source}: {csp}");
        }
    }
    for name in required {
        assert!(directives.contains_key(*name), "CSP lost {name}: {csp}");
    }
    for name in ["object-src", "base-uri", "frame-ancestors", "form-action"] {
        assert_eq!(directives[name], BTreeSet::from(["'none'".to_owned()]), "{name} must be 'none'");
    }
}

const REQUIRED: &[&str] = &[
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "connect-src",
    "object-src",
    "base-uri",
    "frame-ancestors",
    "form-action",
];

#[test]
fn csp_is_strict() {
    let config = json("tauri.conf.json");
    let csp = config["app"]["security"]["csp"].as_str().expect("a CSP string");
    check_csp(
        csp,
        &[
            ("default-src", &["'self'"]),
            ("script-src", &["'self'"]),
            ("style-src", &["'self'"]),
            ("img-src", &["'self'", "data:", "blob:"]),
            ("font-src", &["'self'"]),
            ("connect-src", &["ipc:", "http://ipc.localhost"]),
            ("object-src", &["'none'"]),
            ("base-uri", &["'none'"]),
            ("frame-ancestors", &["'none'"]),
            ("form-action", &["'none'"]),
            ("frame-src", &["'none'"]),
            ("worker-src", &["'none'", "'self'"]),
            ("media-src", &["'none'", "'self'"]),
            ("manifest-src", &["'none'", "'self'"]),
        ],
        REQUIRED,
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

/// Dev builds (the Vite dev server) may add inline styles and Vite's websocket, nothing else.
#[test]
fn dev_csp_only_adds_what_vite_needs() {
    let config = json("tauri.conf.json");
    let Some(csp) = config["app"]["security"]["devCsp"].as_str() else {
        return;
    };
    check_csp(
        csp,
        &[
            ("default-src", &["'self'"]),
            ("script-src", &["'self'"]),
            ("style-src", &["'self'", "'unsafe-inline'"]),
            ("img-src", &["'self'", "data:", "blob:"]),
            ("font-src", &["'self'"]),
            ("connect-src", &["ipc:", "http://ipc.localhost", "ws://localhost:1420"]),
            ("object-src", &["'none'"]),
            ("base-uri", &["'none'"]),
            ("frame-ancestors", &["'none'"]),
            ("form-action", &["'none'"]),
        ],
        REQUIRED,
    );
    let script = &parse_csp(csp)["script-src"];
    assert!(!script.iter().any(|s| s.contains("unsafe")), "{csp}");
}

#[test]
fn app_config_keeps_the_page_away_from_tauri_internals() {
    let config = json("tauri.conf.json");
    let app = &config["app"];
    assert_eq!(app["withGlobalTauri"], false, "window.__TAURI__ must stay off");
    let security = &app["security"];
    assert!(matches!(security.get("dangerousDisableAssetCspModification"), None | Some(Value::Bool(false))));
    assert!(security.get("assetProtocol").is_none_or(|a| a["enable"] != true), "no asset protocol");
    assert!(security.get("headers").is_none());
    assert_eq!(security["capabilities"], serde_json::json!(["main"]), "only the reviewed capability");
    assert!(security.get("pattern").is_none_or(|p| p["use"] != "isolation" || p.get("options").is_some()));
    let windows = app["windows"].as_array().unwrap();
    assert_eq!(windows.len(), 1);
    assert_eq!(windows[0]["label"], "main");
    assert_eq!(windows[0]["title"], "KYB Desk");
    assert!(windows[0].get("url").is_none_or(|u| !u.as_str().unwrap_or("").contains("://")), "no remote page");
    assert_eq!(config["build"]["frontendDist"], "../ui/dist");
    assert_eq!(config["build"]["devUrl"], "http://localhost:1420");
}

/// The one capability grants exactly the app's commands, to the main window, for local content.
#[test]
fn capability_is_exactly_the_app_commands() {
    let entries: Vec<String> = std::fs::read_dir(manifest_dir().join("capabilities"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["main.json"], "one reviewed capability file");
    let capability = json("capabilities/main.json");
    assert_eq!(capability["identifier"], "main");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(capability.get("webviews").is_none());
    assert!(capability.get("remote").is_none(), "no remote origin may call commands");
    assert!(capability.get("platforms").is_none());
    assert_ne!(capability.get("local"), Some(&Value::Bool(false)));
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("plain identifiers").to_owned())
        .collect();
    let expected: BTreeSet<String> =
        kyb_desk_lib::commands::COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    assert_eq!(granted, expected, "the capability must grant exactly the app's commands (no core:*, no plugins)");
}

/// build.rs generates a permission for exactly the commands the handler has: both take the list
/// from the same file, and the generated permission files match it.
#[test]
fn build_manifest_lists_every_command() {
    let build = read("build.rs");
    assert!(build.contains(r#"include!("src/commands/names.rs");"#), "build.rs must take the shared command list");
    assert!(build.contains("AppManifest::new().commands(COMMANDS)"));
    assert!(read("src/commands/mod.rs").contains(r#"include!("names.rs");"#), "the handler must take the shared list");
    let mut generated: Vec<String> = std::fs::read_dir(manifest_dir().join("permissions/autogenerated"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().trim_end_matches(".toml").to_owned())
        .collect();
    generated.sort();
    let mut expected: Vec<String> = kyb_desk_lib::commands::COMMANDS.iter().map(|c| c.to_string()).collect();
    expected.sort();
    assert_eq!(generated, expected, "one generated permission per command, no more");
}

/// Two plugins, each reviewed: single-instance (no commands) and opener, which the app calls from
/// Rust only (`reveal_export` shows a file the app itself exported). The capability grants none
/// of their permissions (checked in `capability_is_exactly_the_app_commands`), so the page can
/// neither open a URL or path nor reveal anything itself. No fs, shell, http, dialog or other
/// plugin, and no tauri feature that opens files to the page.
#[test]
fn no_plugins_and_no_risky_features() {
    const ALLOWED: &[&str] = &["tauri-plugin-single-instance", "tauri-plugin-opener"];
    let manifest = read("Cargo.toml");
    for line in manifest.lines().filter(|l| l.trim_start().starts_with("tauri-plugin")) {
        let name = line.split(['=', ' ']).next().unwrap_or_default().trim();
        assert!(ALLOWED.contains(&name), "a Tauri plugin was added to src-tauri/Cargo.toml: {line}");
    }
    let lock = std::fs::read_to_string(manifest_dir().join("../Cargo.lock")).unwrap();
    for line in lock.lines().filter(|l| l.starts_with("name = \"tauri-plugin")) {
        let name = line.trim_start_matches("name = \"").trim_end_matches('"');
        // `tauri-plugin` itself is the build helper the allowed plugins compile with.
        assert!(ALLOWED.contains(&name) || name == "tauri-plugin", "Cargo.lock has {line}");
    }
    for risky in ["protocol-asset", "devtools", "shell-open", "isolation", "unstable"] {
        let in_features = manifest.lines().any(|l| l.trim_start().starts_with("tauri ") && l.contains(risky));
        assert!(!in_features, "tauri feature {risky} enabled");
    }
    let config = read("tauri.conf.json");
    assert!(!config.contains("\"plugins\": {\n    \""), "plugin configuration in tauri.conf.json");
}

/// The opener plugin is reached only through the app's own `reveal_export` command, which checks
/// the file was exported by the app: no `opener:` permission in any capability, no plugin
/// configuration that widens it, and no other source file calls it.
#[test]
fn the_opener_plugin_is_only_called_by_the_reveal_export_command() {
    let capability = read("capabilities/main.json");
    assert!(!capability.contains("opener"), "the page must not be granted an opener permission");
    let config = json("tauri.conf.json");
    assert!(config.get("plugins").is_none_or(|p| p.get("opener").is_none()), "no opener configuration");
    let mut callers = Vec::new();
    let mut stack = vec![manifest_dir().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read_to_string(&path).unwrap_or_default().contains("tauri_plugin_opener::") {
                callers.push(path.strip_prefix(manifest_dir()).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    callers.sort();
    assert_eq!(callers, ["src/commands/exports.rs", "src/commands/team.rs", "src/lib.rs"], "where the opener plugin is used");
    // The team sign-in opens the provider's page Rust built (the page passes no URL).
    let team = read("src/commands/team.rs");
    assert_eq!(team.matches("tauri_plugin_opener::").count(), 1, "one call, in the sign-in");
    assert!(team.contains("pub async fn team_sign_in(state: Shared<'_>) -> Result<TeamStatus, AppError>"), "the sign-in takes no URL from the page");
    let reveal = read("src/commands/exports.rs");
    assert!(reveal.contains("kyb_app::exports::reveal_export(&state, &path)?"), "the command checks the file first");
    assert_eq!(reveal.matches("tauri_plugin_opener::").count(), 1, "one call, to reveal the checked file");
    assert!(reveal.contains("tauri_plugin_opener::reveal_item_in_dir(&file)"));
}
