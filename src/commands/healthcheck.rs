//! `syndicator healthcheck`: exit 0 when the local `serve` answers `/healthz` with 200 (for
//! Docker's HEALTHCHECK; slim images have no curl). Inside a container, a loopback-only
//! `[server] listen` fails it: the host could not reach that server, healthy or not.

use std::time::Duration;

use anyhow::Context as _;

use super::container;
use crate::config::Config;
use crate::fetch::local_request;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    if let Some(problem) =
        container::loopback_problem(config.server.listen.as_str(), container::in_container())
    {
        anyhow::bail!("unhealthy: {problem}");
    }
    let url = config.server.listen.loopback_url("/healthz");
    let answer = local_request("GET", &url, None, Duration::from_secs(5))
        .await
        .with_context(|| format!("GET {url} failed"))?;
    anyhow::ensure!(answer.status == 200, "GET {url} answered {}", answer.status);
    println!("healthy");
    Ok(())
}
