//! Command-line syntax. Credentials are deliberately not accepted as arguments (they would
//! land in shell history and `ps`): they come from the keychain or the environment.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "kyb", version, about = "KYB Desk command line: validate, inspect and submit KYB records")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check record files (update or create bodies) against every rule; exit 1 if any is invalid.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Machine-readable report on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        partner_profile: PartnerProfileArg,
    },
    /// Fetch a customer record and print it as JSON (straight from the partner API at --base-url).
    Get {
        #[command(flatten)]
        lookup: LookupArgs,
        /// Print only the editable sections: an update body to edit and `submit`.
        #[arg(long)]
        sections: bool,
        #[command(flatten)]
        target: TargetArgs,
    },
    /// Send a record file through the desktop app's outbox: `--customer ID` updates, `--create` creates.
    ///
    /// Exit 1 if the file is invalid or not sent for a reason a person must settle (not approved,
    /// conflict, refused by the partner), 3 if the partner API or the network failed.
    ///
    /// Works on the desktop app's environments, drafts, outbox and audit trail (its folders and
    /// keychain; close the app first), as if the record were typed into the app and queued there.
    /// The file is checked first. For an update the customer is fetched now and becomes the
    /// draft's base (the outbox refuses to overwrite a change made at the partner after this
    /// fetch); an existing draft for the customer goes to the trash. The record is saved as the
    /// customer's draft (or a new-customer draft), queued as the profile (the app's rules:
    /// four-eyes approval where the environment requires it, confirmation in production), then
    /// sent by the app's outbox worker. The audit trail records who queued it and what the
    /// partner answered; the report names the outbox entry.
    Submit {
        /// The record: an update body (as `kyb get --sections` prints it), or for `--create` a
        /// create body (the same with `partner_customer_id`).
        file: PathBuf,
        /// The customer_id of the customer to update.
        #[arg(long, conflicts_with = "create", required_unless_present = "create")]
        customer: Option<String>,
        /// Create a new customer (the file must carry `partner_customer_id`).
        #[arg(long)]
        create: bool,
        /// The app environment to submit to (default: the app's active environment).
        #[arg(long)]
        environment: Option<String>,
        /// Who submits: an existing profile of the app (recorded in the audit trail).
        #[arg(long, env = "KYB_PROFILE")]
        profile: String,
        /// In a production environment: the customer's English business name exactly as the
        /// partner has it (for `--create`, the partner_customer_id), as the app asks.
        #[arg(long)]
        confirm: Option<String>,
        /// Also follow the customer until the partner settles it (Succeeded, Failed or Suspended).
        #[arg(long)]
        wait: bool,
        /// Machine-readable report on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        folders: AppFolders,
        #[command(flatten)]
        partner_profile: PartnerProfileArg,
    },
    /// Upload a document to the partner API at --base-url and print its file_id.
    Upload {
        file: PathBuf,
        /// One of: Invoice, Contract, "Business Registration", "Article of Association", "Main page", "Back page".
        #[arg(long = "type")]
        file_type: String,
        #[command(flatten)]
        target: TargetArgs,
    },
    /// Run the partner-API sandbox (a real HTTP server) until Ctrl-C.
    Sandbox {
        #[arg(long, default_value_t = 8083)]
        port: u16,
        /// Where customers and uploaded files are kept (default: the user data folder).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Milliseconds a record stays Processing before it settles.
        #[arg(long, default_value_t = 3000)]
        settle_after_ms: u64,
        /// How the sandbox answers: `default`, or `strict` (exactly as the published partner page
        /// shows: people without basic_info, a status beyond the four, `{code, message, source}`
        /// errors, Idempotency-Key ignored).
        #[arg(long, default_value_t = kyb_sandbox::Personality::Default)]
        personality: kyb_sandbox::Personality,
        #[command(flatten)]
        partner_profile: PartnerProfileArg,
    },
    /// Store or remove an environment's API key and secret in the OS keychain.
    Credentials {
        #[command(subcommand)]
        action: CredentialsAction,
    },
    /// Portable draft files exported by the desktop app: validate them, or submit them through the app's outbox.
    Drafts {
        #[command(subcommand)]
        action: DraftsAction,
    },
    /// Partner profiles (the partner's enumerations and bounds): check a file, or print the
    /// built-in one as a template.
    PartnerProfile {
        #[command(subcommand)]
        action: PartnerProfileAction,
    },
    /// Team mode: connect to a team server, sign in, and prepare, approve and submit drafts
    /// through it.
    Team {
        #[command(flatten)]
        folders: AppFolders,
        #[command(subcommand)]
        action: TeamAction,
    },
    /// The team server (PostgreSQL, OpenID Connect): run it, make its keys, set an environment.
    Server {
        /// The server's configuration file (each value can also come from KYB_SERVER_<KEY>).
        #[arg(long, global = true, env = "KYB_SERVER_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
        #[command(subcommand)]
        action: ServerAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeamAction {
    /// Connect this desktop to a team server (asks it where people sign in).
    Connect { url: String },
    /// Sign in: prints a URL and a code to confirm in any browser; the refresh token goes to
    /// the OS keychain.
    SignIn,
    /// Forget the sign-in (removes the refresh token from the keychain).
    SignOut,
    /// Who the team server says you are, with your roles.
    Whoami,
    /// The audit checkpoint this machine kept for the team server and the server's current one,
    /// checked against each other (exit 2 when the server's trail was rolled back or rewritten).
    Checkpoint,
    /// Start a draft on the server from a record file (an update body) for a customer.
    Push {
        #[arg(long)]
        environment: String,
        #[arg(long)]
        customer: String,
        file: PathBuf,
    },
    /// A draft as the server has it (version, preparers, signed approvals).
    Show { draft: String },
    /// The documents of a draft (uploaded through the team, and those its record references at
    /// the partner), each with its decision.
    Documents { draft: String },
    /// Decide on one document of a draft (you must be a reviewer who did not edit it): an
    /// approval needs every document accepted.
    Decide {
        draft: String,
        file_id: String,
        /// verified, needs_reupload or rejected.
        #[arg(long)]
        decision: String,
        /// Why (needed unless verified): illegible, expired, name_mismatch, number_mismatch, …
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Approve a draft's current change (you must be a reviewer who did not edit it).
    Approve { draft: String },
    /// Submit a draft through the server (approval required where the environment says so).
    Submit {
        draft: String,
        /// Wait until the partner has it (exit 3 if it did not get there).
        #[arg(long)]
        wait: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServerAction {
    /// Serve until Ctrl-C (migrations are applied at start).
    Run,
    /// Print a fresh sealing key and signing key for the configuration file.
    Keys,
    /// Create or change an environment on this server's database, as the operator (partner
    /// credentials from KYB_API_KEY and KYB_API_SECRET, sealed).
    Environment {
        #[arg(long)]
        name: String,
        #[arg(long)]
        base_url: String,
        /// Changes to it need a reviewer's approval (four-eyes).
        #[arg(long)]
        requires_approval: bool,
        #[arg(long)]
        production: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PartnerProfileAction {
    /// Check a profile file and list every problem with its place in the file; exit 2 on problems.
    Check { file: PathBuf },
    /// Print the built-in profile (KYB Desk's own lists, all open) as JSON: a template.
    Show,
}

/// The partner profile to validate with (default: for `submit` and `drafts submit` the one the
/// app keeps for the environment, else the built-in one). Not `--profile`, which names the
/// person who submits.
#[derive(Debug, Args)]
pub struct PartnerProfileArg {
    /// A partner profile file: its closed lists refuse other values, its bounds apply. Without
    /// it, `submit` and `drafts submit` use the environment's profile chosen in Settings.
    #[arg(long = "partner-profile", env = "KYB_PARTNER_PROFILE", value_name = "FILE")]
    pub partner_profile: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DraftsAction {
    /// Check draft files against every rule; exit 1 if any is unreadable or invalid.
    ///
    /// For a file that carries four-eyes approvals, the report also says whether each counts:
    /// only an approval signed by the team server (a key this machine trusts), unchanged since,
    /// of exactly the file's changes does; exit 1 when the file carries one that is refused.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Machine-readable report on stdout.
        #[arg(long)]
        json: bool,
        /// Trust approvals signed by this team server key (64 hex digits; repeatable), besides
        /// the key of the team server this machine is connected to.
        #[arg(long = "trust-key", value_name = "HEX")]
        trust_keys: Vec<String>,
        /// The app's config folder, where the team connection is (default: the app's own).
        #[arg(long, env = "KYB_DESK_CONFIG_DIR")]
        config_dir: Option<PathBuf>,
        #[command(flatten)]
        partner_profile: PartnerProfileArg,
    },
    /// Submit draft files through the desktop app's own outbox.
    ///
    /// Exit 1 if any is not sent for a reason a person must settle, 3 if the partner API or the
    /// network failed.
    ///
    /// Works on the desktop app's environments, drafts, outbox and audit trail (its folders and
    /// keychain; close the app first). Each valid file is imported into the environment (as the
    /// app's Import does; an existing draft for the same customer there goes to the trash), queued
    /// as the profile (the app's rules: four-eyes approval where the environment requires it,
    /// confirmation in production), then sent by the app's outbox worker: lost-update check
    /// against the file's base, the file's idempotency key (the same file submitted twice is
    /// applied once), retries of what is safe to retry. The audit trail records who queued each
    /// file and what the partner answered. An entry the partner did not answer in time stays in
    /// the outbox; the app sends it later.
    Submit {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The app environment to submit to (default: the app's active environment).
        #[arg(long)]
        environment: Option<String>,
        /// Who submits: an existing profile of the app (recorded in the audit trail).
        #[arg(long, env = "KYB_PROFILE")]
        profile: String,
        /// In a production environment: the customer's English business name exactly (for a new
        /// customer, its partner_customer_id), as the app asks; one customer per run.
        #[arg(long)]
        confirm: Option<String>,
        /// Also follow each sent customer until the partner settles it (Succeeded, Failed, Suspended).
        #[arg(long)]
        wait: bool,
        /// Machine-readable report on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        folders: AppFolders,
        #[command(flatten)]
        partner_profile: PartnerProfileArg,
    },
}

/// The desktop app's folders (default: the app's own for this user).
#[derive(Debug, Args)]
pub struct AppFolders {
    /// The app's config folder (environments, profiles).
    #[arg(long, env = "KYB_DESK_CONFIG_DIR")]
    pub config_dir: Option<PathBuf>,
    /// The app's data folder (drafts, outbox, audit trail).
    #[arg(long, env = "KYB_DESK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CredentialsAction {
    /// Read the key and the secret from the terminal (hidden) or from two lines of stdin.
    Set { environment: String },
    /// Remove the stored key and secret.
    Delete { environment: String },
    /// Say whether credentials are stored (never prints them).
    Status { environment: String },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct LookupArgs {
    #[arg(long)]
    pub customer_id: Option<String>,
    #[arg(long)]
    pub partner_customer_id: Option<String>,
}

/// Which partner endpoint to talk to.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Partner API base URL.
    #[arg(long, env = "KYB_BASE_URL", default_value = "http://127.0.0.1:8083")]
    pub base_url: String,
    /// Keychain entry to take credentials from (when KYB_API_KEY/KYB_API_SECRET are not set).
    #[arg(long, env = "KYB_ENVIRONMENT", default_value = "sandbox")]
    pub environment: String,
}
