//! Child processes we bound in time (git commands, notification hooks) run as the leaders of
//! their own process groups, so that at their timeout the whole group — the program and
//! whatever it started (ssh, a remote helper, a script's children) — is killed at once.

/// Sends SIGKILL to the process group `leader` leads.
pub fn kill_group(leader: u32) {
    let Ok(pid) = libc::pid_t::try_from(leader) else { return };
    // SAFETY: killpg only sends a signal; the group is one a child of ours leads.
    unsafe {
        libc::killpg(pid, libc::SIGKILL);
    }
}
