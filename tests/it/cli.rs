//! CLI conventions: shell completions and the man page generated from the clap definitions
//! (and loaded by the real shells and groff), `-c` for `--config`, and usage errors with their
//! own exit code, 64.

use std::process::Command;

use super::app::{App, Run};
use super::sync::{MLST, mlst_app};
use super::tools::require_tool;

/// Runs `script` with `program -c`, returning its stdout; panics on failure.
fn shell(program: &str, script: &str) -> String {
    let out = Command::new(program).args(["-c", script]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "{program}: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `syndicator completions <shell>` written to a file in the app's folder.
fn completions(app: &App, shell: &str) -> std::path::PathBuf {
    let run = app.run(&["completions", shell]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = app.path(&format!("completions.{shell}"));
    std::fs::write(&path, &run.stdout).unwrap();
    path
}

#[test]
fn bash_completes_commands_and_shells_from_the_generated_script() {
    let app = App::new();
    let script = completions(&app, "bash");
    // As bash calls a completion function: the words so far, the index of the current one,
    // and the command, current word and previous word as arguments.
    let complete = |words: &[&str]| {
        let [.., prev, cur] = words else { panic!("two words at least") };
        let call = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _syndicator syndicator '{cur}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
            words.len() - 1
        );
        shell("bash", &call)
    };
    assert_eq!(complete(&["syndicator", "s"]).lines().collect::<Vec<_>>(), ["sync", "status", "serve"]);
    let shells = complete(&["syndicator", "completions", ""]);
    for name in ["bash", "zsh", "fish", "powershell"] {
        assert!(shells.split_whitespace().any(|w| w == name), "{name}: {shells}");
    }
}

#[test]
fn zsh_fish_and_powershell_scripts_name_every_command() {
    let app = App::new();
    for name in ["zsh", "fish", "powershell"] {
        let text = std::fs::read_to_string(completions(&app, name)).unwrap();
        for command in ["sync", "check", "status", "serve", "completions", "man", "opml", "import"] {
            assert!(text.contains(command), "{name} script lacks {command}");
        }
    }
    if require_tool("zsh", &["-c", "true"]) {
        shell("zsh", &format!("zsh -n '{}'", completions(&app, "zsh").display()));
    }
    if require_tool("fish", &["-c", "true"]) {
        let script = completions(&app, "fish");
        let offered = shell("fish", &format!("source '{}'; complete -C 'syndicator st'", script.display()));
        assert!(offered.starts_with("status\t"), "{offered}");
    }
}

#[test]
fn the_man_page_documents_every_command_and_groff_reads_it_without_warnings() {
    let app = App::new();
    let run = app.run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n.TH syndicator 1 "), "{}", run.stdout);
    for expected in [
        ".SH COMMANDS",
        ".SS \"syndicator sync\"",
        ".SS \"syndicator man\"",
        ".SS \"syndicator opml import\"",
        "\\-\\-dry\\-run",
    ] {
        assert!(run.stdout.contains(expected), "{expected}: {}", run.stdout);
    }
    if require_tool("groff", &["--version"]) {
        let page = app.path("syndicator.1");
        std::fs::write(&page, &run.stdout).unwrap();
        let text = shell("sh", &format!("groff -k -man -ww -Tutf8 -P -cbou '{}'", page.display()));
        for expected in [
            "-c, --config <PATH>",
            "syndicator completions",
            "--channel <ID>",
            "Only this channel",
            "syndicator opml export",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
    }
}

#[test]
fn c_is_short_for_config() {
    let app = mlst_app(MLST);
    std::fs::rename(app.path("config/syndicator.toml"), app.path("other.toml")).unwrap();
    let run = app.run(&["-c", "other.toml", "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("mlst"), "{}", run.stdout);
}

#[test]
fn usage_errors_exit_64_with_clap_s_message_on_stderr() {
    let app = mlst_app(MLST);
    let usage = |run: Run, says: &str| {
        assert_eq!(run.code, 64, "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
    };
    usage(app.run(&["bogus"]), "unrecognized subcommand 'bogus'");
    usage(app.run(&["sync", "--bogus"]), "unexpected argument '--bogus'");
    usage(app.run(&["completions", "tcsh"]), "invalid value 'tcsh'");
    usage(app.run(&[]), "Usage: syndicator");
    usage(app.run(&["sync", "--channel", "nope"]), "no channel \"nope\"");
    let help = app.run(&["sync", "--help"]);
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert!(help.stdout.contains("--dry-run"), "help goes to stdout: {}", help.stdout);
}
