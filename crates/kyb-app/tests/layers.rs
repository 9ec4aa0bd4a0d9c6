//! The layers hold (docs/ARCHITECTURE.md): the application crate and the domain library build
//! without Tauri, and both the desktop shell and the CLI run on the application crate.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use serde_json::Value;

/// The resolved dependency graph: package name → names of its normal and build dependencies.
fn dependency_graph() -> HashMap<String, Vec<String>> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let names: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let mut graph = HashMap::new();
    for node in metadata["resolve"]["nodes"].as_array().unwrap() {
        let deps = node["deps"]
            .as_array()
            .unwrap()
            .iter()
            // Tests and benches may use anything; what ships may not.
            .filter(|dep| dep["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].as_str() != Some("dev")))
            .map(|dep| names[dep["pkg"].as_str().unwrap()].to_owned())
            .collect();
        graph.insert(names[node["id"].as_str().unwrap()].to_owned(), deps);
    }
    graph
}

fn reachable(graph: &HashMap<String, Vec<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut next = vec![from.to_owned()];
    while let Some(name) = next.pop() {
        if seen.insert(name.clone()) {
            next.extend(graph.get(&name).into_iter().flatten().cloned());
        }
    }
    seen
}

#[test]
fn the_application_crate_and_the_domain_library_build_without_tauri() {
    let graph = dependency_graph();
    for layer in ["kyb-core", "kyb-app"] {
        let desktop: Vec<String> = reachable(&graph, layer)
            .into_iter()
            .filter(|name| name.starts_with("tauri") || ["wry", "tao", "webkit2gtk", "gtk"].contains(&name.as_str()))
            .collect();
        assert!(desktop.is_empty(), "{layer} depends on {desktop:?}");
    }
    for user in ["kyb-desk", "kyb-cli"] {
        assert!(graph[user].iter().any(|dep| dep == "kyb-app"), "{user} runs on kyb-app: {:?}", graph[user]);
    }
    assert!(!reachable(&graph, "kyb-core").contains("kyb-app"), "kyb-core never imports the application layer");
}
