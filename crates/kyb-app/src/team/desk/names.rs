//! A team environment's name on this desktop: the server's name with a `Team · ` prefix, so it
//! never collides with a local environment (the built-in "Sandbox" and a team's "Sandbox" are
//! different places) and every screen shows that the draft goes through the team server.

const PREFIX: &str = "Team · ";

/// The local name of the server's environment `server_name`.
pub fn local_environment_name(server_name: &str) -> String {
    format!("{PREFIX}{server_name}")
}

/// The server's name of a local team environment name; `None` for a local environment.
pub fn server_environment_name(local_name: &str) -> Option<&str> {
    local_name.strip_prefix(PREFIX).filter(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_names_round_trip_and_local_names_are_not_team_names() {
        assert_eq!(server_environment_name(&local_environment_name("Sandbox")), Some("Sandbox"));
        assert_eq!(server_environment_name("Sandbox"), None);
        assert_eq!(server_environment_name("Team · "), None);
    }
}
