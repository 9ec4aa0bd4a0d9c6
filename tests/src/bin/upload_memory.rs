//! Upload memory: what attaching a 10 MiB document costs the app's process tree (the Rust
//! process and WebKit's), and that a 60 MiB file is refused before it is read. One launch on
//! fresh folders; a document slot of a demo customer's first representative gets a 10 MiB file
//! through its file input (as an officer attaches one), while the tree's resident memory is
//! sampled every 10 ms; the peak rise over the idle level is reported against the file's size.
//! Then a 60 MiB file (sparse on disk) is chosen in the same slot: the page must refuse it by
//! its size, and the tree must not grow by anything like its size. Run by scripts/measure-upload.sh
//! inside scripts/e2e.sh's session:
//!
//!   KYB_E2E_TOOL=upload_memory bash scripts/e2e.sh

use std::io::Write;
use std::process::ExitCode;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kyb_tests::e2e::{app_pid, ensure, process_tree, tool_exit, try_run, Options, Res};

const MIB: u64 = 1024 * 1024;
const CUSTOMER: &str = "cus_demo_0002";
const SLOT: &str = "fld-business_person_list-0-identification-id_document_front_file_id";

/// Resident bytes of one process (`/proc/<pid>/statm`, second field, in pages).
fn rss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/statm"))
        .ok()
        .and_then(|text| text.split_whitespace().nth(1).and_then(|pages| pages.parse::<u64>().ok()))
        .unwrap_or(0)
        * 4096
}

/// Resident bytes of `root` and its descendants, in all and by process name (kyb-desk, which
/// also runs the built-in Sandbox; WebKit's web and network processes).
fn tree_rss_by_name(root: u32) -> (u64, BTreeMap<String, u64>) {
    let mut by_name = BTreeMap::new();
    for process in process_tree(root) {
        *by_name.entry(process.comm.clone()).or_insert(0) += rss(process.pid);
    }
    (by_name.values().sum(), by_name)
}

fn tree_rss(root: u32) -> u64 {
    tree_rss_by_name(root).0
}

/// The highest samples: of the whole tree, and of each process name on its own.
#[derive(Default)]
struct Peaks {
    tree: u64,
    by_name: BTreeMap<String, u64>,
}

impl Peaks {
    fn add(&mut self, root: u32) {
        let (tree, by_name) = tree_rss_by_name(root);
        self.tree = self.tree.max(tree);
        for (name, bytes) in by_name {
            let peak = self.by_name.entry(name).or_insert(0);
            *peak = (*peak).max(bytes);
        }
    }
}

/// Samples the tree's resident memory every 10 ms until stopped; keeps the highest.
struct PeakSampler {
    peaks: Arc<Mutex<Peaks>>,
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl PeakSampler {
    fn start(root: u32) -> Self {
        let mut first = Peaks::default();
        first.add(root);
        let peaks = Arc::new(Mutex::new(first));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let (peaks, stop) = (peaks.clone(), stop.clone());
            move || {
                while !stop.load(Ordering::Relaxed) {
                    peaks.lock().unwrap_or_else(|p| p.into_inner()).add(root);
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        });
        Self { peaks, stop, thread }
    }

    fn finish_all(self) -> Peaks {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        std::mem::take(&mut *self.peaks.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn finish(self) -> u64 {
        self.finish_all().tree
    }
}

/// A file of `size` bytes starting like a PDF, the rest varied so nothing compresses it away.
fn write_document(path: &std::path::Path, size: u64) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    file.write_all(b"%PDF-1.4\n")?;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut written = 9;
    while written < size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let chunk = state.to_le_bytes();
        let n = chunk.len().min((size - written) as usize);
        file.write_all(&chunk[..n])?;
        written += n as u64;
    }
    file.flush()
}

/// Choose `path` in the slot's file input and wait until the upload settles; its phase
/// (`done` or `error`) and the status element's test id.
async fn attach(d: &kyb_tests::e2e::Desk, path: &std::path::Path) -> Res<(String, String)> {
    d.el(&format!("{SLOT}-upload")).await?.send_keys(&path.to_string_lossy()).await?;
    let status = format!("{SLOT}-upload-status");
    let phase = d
        .until("the upload to settle", Duration::from_secs(120), || async {
            let phase = d.el(&status).await?.attr("data-phase").await?.unwrap_or_default();
            Ok(matches!(phase.as_str(), "done" | "error").then_some(phase))
        })
        .await?;
    Ok((phase, status))
}

#[tokio::main]
async fn main() -> ExitCode {
    let outcome = try_run("upload_memory", Options::default(), |d| async move {
        let pid = app_pid(d.driver_pid).ok_or("no kyb-desk process under the driver")?;
        d.wait_screen("open").await?;
        d.fill("open-customer-input", CUSTOMER).await?;
        d.click("open-customer-button").await?;
        d.wait_screen("editor").await?;
        d.el(SLOT).await?;

        let ten = d.xdg_root.join("scan-10mib.pdf");
        write_document(&ten, 10 * MIB)?;
        let sixty = d.xdg_root.join("scan-60mib.pdf");
        std::fs::File::create(&sixty)?.set_len(60 * MIB)?;

        // The idle level: the highest of 2 s of samples before the upload.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let idle = PeakSampler::start(pid);
        tokio::time::sleep(Duration::from_secs(2)).await;
        let idle_peaks = idle.finish_all();
        let idle = idle_peaks.tree;

        let sampler = PeakSampler::start(pid);
        let started = std::time::Instant::now();
        let (phase, status) = attach(&d, &ten).await?;
        let took = started.elapsed();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let peaks = sampler.finish_all();
        let peak = peaks.tree;
        let text = d.text(&status).await?;
        ensure!(phase == "done", "the 10 MiB upload did not succeed: {text}");
        let rise = peak.saturating_sub(idle);

        // 60 MiB: refused by its size, not read.
        let before = tree_rss(pid);
        let sampler = PeakSampler::start(pid);
        let (phase, status) = attach(&d, &sixty).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let big_peak = sampler.finish();
        let text = d.text(&status).await?;
        ensure!(phase == "error" && text.contains("not read"), "the 60 MiB file was not refused before reading: {phase} {text}");
        let big_rise = big_peak.saturating_sub(before);
        ensure!(big_rise < 30 * MIB, "the tree grew by {} MiB while refusing the 60 MiB file", big_rise / MIB);

        println!("== KYB Desk upload memory");
        println!("file_mib 10");
        println!("idle_tree_rss_mib {:.1}", idle as f64 / MIB as f64);
        println!("peak_tree_rss_mib {:.1}", peak as f64 / MIB as f64);
        println!("peak_rise_mib {:.1}", rise as f64 / MIB as f64);
        println!("peak_rise_per_file_byte {:.2}", rise as f64 / (10 * MIB) as f64);
        println!("upload_secs {:.2}", took.as_secs_f64());
        // Each process's own peak over its own idle level (the peaks need not coincide, so
        // these may add up to more than the tree's rise).
        for (name, bytes) in &peaks.by_name {
            let idle = idle_peaks.by_name.get(name).copied().unwrap_or(0);
            let name = name.replace(' ', "_");
            println!("peak_rise_mib_{name} {:.1}", bytes.saturating_sub(idle) as f64 / MIB as f64);
        }
        println!("refused_60mib_rise_mib {:.1}", big_rise as f64 / MIB as f64);
        println!("refused_60mib_message {text}");
        Ok(())
    })
    .await;
    tool_exit(outcome)
}
