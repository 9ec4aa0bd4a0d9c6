//! The kind each team-mode failure has on the page (one kind list for every layer:
//! [`kyb_core::error::ErrorKind`]).

use kyb_core::error::ErrorKind;
use kyb_core::team_wire::TeamRefusalKind;

use super::TeamError;

impl TeamError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            TeamError::NotConnected => ErrorKind::TeamNotConnected,
            TeamError::NotSignedIn | TeamError::SignIn(_) => ErrorKind::TeamNotSignedIn,
            TeamError::Unreachable { .. } => ErrorKind::TeamUnreachable,
            TeamError::Keychain(_) => ErrorKind::KeychainUnavailable,
            TeamError::Refused { kind, .. } => match kind {
                TeamRefusalKind::InvalidInput => ErrorKind::InvalidInput,
                TeamRefusalKind::NotFound => ErrorKind::NotFound,
                TeamRefusalKind::Stale => ErrorKind::TeamStale,
                TeamRefusalKind::Unauthorized => ErrorKind::TeamNotSignedIn,
                TeamRefusalKind::IdentityProviderUnreachable => ErrorKind::TeamUnreachable,
                TeamRefusalKind::Forbidden
                | TeamRefusalKind::Config
                | TeamRefusalKind::Database
                | TeamRefusalKind::Unsealing
                | TeamRefusalKind::Unexpected => ErrorKind::TeamRefused,
            },
            TeamError::Stale { .. } => ErrorKind::TeamStale,
            TeamError::DocumentDamaged { .. } => ErrorKind::MalformedResponse,
            TeamError::ReadFile { .. } => ErrorKind::InvalidInput,
            TeamError::TrailBroken { .. } | TeamError::KeptCheckpointDamaged { .. } => ErrorKind::TeamTrailBroken,
            TeamError::Storage { .. } => ErrorKind::Internal,
        }
    }

    /// The field a refusal names, when it names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            TeamError::Refused { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}
