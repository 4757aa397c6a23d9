//! Requests to syndicator's own server on this machine: `healthcheck`, and `status`/`feeds`
//! asking a running `serve`. Never through a proxy — `HTTP_PROXY` and friends are for
//! upstreams, and no proxy can reach a container's loopback — and with a short timeout.

use std::time::Duration;

/// What the local server answered.
#[derive(Debug)]
pub struct LocalAnswer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// `method` (`GET` or `POST`) of `url` on the local server, with a bearer token if given.
pub async fn local_request(
    method: &str,
    url: &str,
    bearer: Option<&str>,
    timeout: Duration,
) -> Result<LocalAnswer, reqwest::Error> {
    let client = reqwest::Client::builder().no_proxy().timeout(timeout).build()?;
    let method = if method == "POST" { reqwest::Method::POST } else { reqwest::Method::GET };
    let mut request = client.request(method, url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok(LocalAnswer { status, body: response.bytes().await?.to_vec() })
}
