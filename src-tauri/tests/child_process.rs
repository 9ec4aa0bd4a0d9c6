//! A test that must change the process's environment runs in a child process of this test
//! binary ([`kyb_app::testing::in_child_process`]).

pub use kyb_app::testing::in_child_process;
