//! `syndicator completions SHELL`: the shell completion script, generated from the clap
//! definitions in [`crate::cli`] so it never drifts from the commands the binary accepts.

use std::io::Write;

use clap::CommandFactory as _;

use crate::cli::Cli;

/// Writes the completion script for `shell` to `out`. The script is built in memory first:
/// `clap_complete` panics on a failed write, and a closed pipe is an error, not a crash.
pub fn write(shell: clap_complete::Shell, out: &mut dyn Write) -> std::io::Result<()> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    out.write_all(&script)?;
    out.flush()
}
