//! A team environment's name on this desktop (`Team · <server name>`): kyb-core's rule,
//! re-exported under the names the team desk uses.

pub use kyb_core::environments::{team_environment_name as local_environment_name, team_server_name as server_environment_name};

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
