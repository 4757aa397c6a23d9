//! `syndicator man`: the man page (roff), generated from the clap definitions in
//! [`crate::cli`]. One page holds everything: `clap_mangen` renders the top level (name,
//! synopsis, description, global options), and a COMMANDS section gives each command its
//! usage, description and options, so `man ./syndicator.1` needs no per-command pages.

use std::io::Write;

use clap::{Arg, CommandFactory as _};
use roff::{Roff, bold, roman};

use crate::cli::Cli;

/// Writes the whole man page to `out`.
pub fn write(out: &mut dyn Write) -> std::io::Result<()> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    commands_section(&command).to_writer(out)?;
    man.render_version_section(out)?;
    out.flush()
}

/// `.SH COMMANDS`: per command a subsection with its usage, its long description and its own
/// (not the global) arguments.
fn commands_section(command: &clap::Command) -> Roff {
    let mut roff = Roff::default();
    roff.control("SH", ["COMMANDS"]);
    command_entries(&mut roff, command.get_name(), command);
    roff
}

/// The subsections of `command`'s subcommands (named `prefix` and theirs), each followed by
/// those of its own subcommands (`syndicator opml export`); clap's `help` left out.
fn command_entries(roff: &mut Roff, prefix: &str, command: &clap::Command) {
    for sub in command.get_subcommands().filter(|sub| sub.get_name() != "help") {
        let name = format!("{prefix} {}", sub.get_name());
        roff.control("SS", [name.as_str()]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            roff.text([roman(about.to_string())]);
        }
        for arg in sub.get_arguments().filter(|a| is_own(a)) {
            roff.control("TP", []);
            roff.text([bold(spelling(arg))]);
            roff.text([roman(help(arg))]);
        }
        command_entries(roff, &name, sub);
    }
}

/// Whether `arg` belongs to the command itself: not a global option (listed once under
/// OPTIONS), not the generated `--help`.
fn is_own(arg: &Arg) -> bool {
    !arg.is_global_set() && !arg.is_hide_set() && arg.get_id() != "help"
}

/// How the argument is typed: `-c, --config <PATH>`, `--dry-run` or `<SHELL>`.
fn spelling(arg: &Arg) -> String {
    let value = arg.get_value_names().map(|names| format!("<{}>", names.join(" ")));
    let value = value.unwrap_or_else(|| format!("<{}>", arg.get_id().as_str().to_uppercase()));
    let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
    let mut flags: Vec<String> = arg.get_short().map(|s| format!("-{s}")).into_iter().collect();
    flags.extend(arg.get_long().map(|l| format!("--{l}")));
    match (flags.is_empty(), takes_value) {
        (true, _) => value,
        (false, true) => format!("{} {value}", flags.join(", ")),
        (false, false) => flags.join(", "),
    }
}

/// The argument's help text, with its possible values when it has a fixed set.
fn help(arg: &Arg) -> String {
    let text = arg.get_long_help().or_else(|| arg.get_help()).map(ToString::to_string).unwrap_or_default();
    let values: Vec<_> = arg.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect();
    match values.is_empty() {
        true => text,
        false => format!("{text} One of: {}.", values.join(", ")),
    }
}
