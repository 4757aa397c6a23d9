//! Whether syndicator runs inside a container, and why a loopback-only `[server] listen` is a
//! mistake there: nothing outside the container (the host, `docker run -p`) can reach it,
//! while a check over loopback from inside would still call it healthy.
//!
//! Detection looks for `/.dockerenv` (Docker), `/run/.containerenv` (Podman) and container
//! runtimes in `/proc/1/cgroup`. `SYNDICATOR_IN_CONTAINER=0` (or `1`) overrides it, e.g. for a
//! container on the host's network, where loopback is reachable.

use std::path::Path;

/// The environment variable that overrides detection: `1`/`true` or `0`/`false`.
pub const OVERRIDE_VAR: &str = "SYNDICATOR_IN_CONTAINER";

/// Names in `/proc/1/cgroup` that container runtimes put there.
const CGROUP_HINTS: &[&str] = &["docker", "kubepods", "containerd", "libpod", "lxc"];

/// Whether this process runs in a container (the override wins over detection).
pub fn in_container() -> bool {
    match std::env::var(OVERRIDE_VAR).as_deref().map(str::trim) {
        Ok("1" | "true") => true,
        Ok("0" | "false") => false,
        _ => detect(Path::new("/")),
    }
}

/// Container hints under `fs_root` (`/` in production, a temp folder in tests).
pub fn detect(fs_root: &Path) -> bool {
    let cgroup = std::fs::read_to_string(fs_root.join("proc/1/cgroup")).unwrap_or_default();
    fs_root.join(".dockerenv").exists()
        || fs_root.join("run/.containerenv").exists()
        || CGROUP_HINTS.iter().any(|hint| cgroup.contains(hint))
}

/// Whether `listen` (`host:port`) accepts connections from loopback only.
pub fn is_loopback_only(listen: &str) -> bool {
    let host = listen.rsplit_once(':').map_or(listen, |(host, _)| host);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The problem with `listen` when `in_container`, if there is one, as a sentence with the fix.
pub fn loopback_problem(listen: &str, in_container: bool) -> Option<String> {
    (in_container && is_loopback_only(listen)).then(|| {
        format!(
            "syndicator runs in a container but [server] listen = \"{listen}\" is loopback only, \
             so nothing outside the container can reach it: set listen = \"0.0.0.0:8080\" (as \
             config/docker.toml does), or set {OVERRIDE_VAR}=0 if the container uses the host's network"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_told_from_every_interface() {
        for listen in ["127.0.0.1:8080", "127.1.2.3:80", "localhost:8080", "[::1]:8080"] {
            assert!(is_loopback_only(listen), "{listen}");
        }
        for listen in ["0.0.0.0:8080", ":8080", "[::]:8080", "192.168.1.5:8080", "blog.example.com:80"] {
            assert!(!is_loopback_only(listen), "{listen}");
        }
    }

    #[test]
    fn only_loopback_inside_a_container_is_a_problem() {
        let problem = loopback_problem("127.0.0.1:8080", true).unwrap();
        assert!(problem.contains("0.0.0.0:8080") && problem.contains(OVERRIDE_VAR), "{problem}");
        assert_eq!(loopback_problem("0.0.0.0:8080", true), None);
        assert_eq!(loopback_problem("127.0.0.1:8080", false), None);
    }

    #[test]
    fn docker_podman_and_cgroup_hints_are_detected() {
        let root = tempfile::tempdir().unwrap();
        assert!(!detect(root.path()));
        std::fs::create_dir_all(root.path().join("proc/1")).unwrap();
        std::fs::write(root.path().join("proc/1/cgroup"), "0::/\n").unwrap();
        assert!(!detect(root.path()), "a plain cgroup is no hint");
        std::fs::write(root.path().join("proc/1/cgroup"), "12:cpu:/kubepods/pod1/abc\n").unwrap();
        assert!(detect(root.path()));
        let podman = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(podman.path().join("run")).unwrap();
        std::fs::write(podman.path().join("run/.containerenv"), "").unwrap();
        assert!(detect(podman.path()));
        let docker = tempfile::tempdir().unwrap();
        std::fs::write(docker.path().join(".dockerenv"), "").unwrap();
        assert!(detect(docker.path()));
    }
}
