//! `syndicator healthcheck`: exit 0 when the local `serve` answers `/healthz` with 200 (for
//! Docker's HEALTHCHECK; slim images have no curl).

use std::time::Duration;

use anyhow::Context as _;

use crate::config::Config;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let url = health_url(config.server.listen.as_str());
    let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build()?;
    let response = client.get(&url).send().await.with_context(|| format!("GET {url} failed"))?;
    anyhow::ensure!(response.status().is_success(), "GET {url} answered {}", response.status());
    println!("healthy");
    Ok(())
}

/// The local `/healthz` URL for a listen address; a wildcard host is reached on loopback.
fn health_url(listen: &str) -> String {
    let (host, port) = listen.rsplit_once(':').unwrap_or((listen, "8080"));
    let host = match host {
        "" | "0.0.0.0" => "127.0.0.1",
        "[::]" => "[::1]",
        other => other,
    };
    format!("http://{host}:{port}/healthz")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_hosts_are_reached_on_loopback() {
        assert_eq!(health_url("127.0.0.1:8080"), "http://127.0.0.1:8080/healthz");
        assert_eq!(health_url("0.0.0.0:9000"), "http://127.0.0.1:9000/healthz");
        assert_eq!(health_url(":8080"), "http://127.0.0.1:8080/healthz");
        assert_eq!(health_url("[::]:8080"), "http://[::1]:8080/healthz");
    }
}
