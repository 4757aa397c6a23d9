//! Sending one event to one entry: a signed JSON POST, an ntfy message, or a command.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{Event, EventKind, hook};
use crate::config::{Notify, NotifyKind, Secret};
use crate::pipeline::Ctx;

/// The header carrying `sha256=<hex HMAC-SHA256 of the raw body>`.
pub const SIGNATURE_HEADER: &str = "X-Syndicator-Signature";

/// Sends `event` (whose exact bytes are `raw`) to `entry`; the error says why not.
pub async fn send(ctx: &Ctx, entry: &Notify, event: &Event, raw: &[u8]) -> Result<(), String> {
    let timeout = std::time::Duration::from_secs(entry.timeout_secs.get());
    if entry.kind() == NotifyKind::Command {
        // The hook keeps its own time: at the timeout it kills the process group.
        return hook::run(entry, event, raw, timeout).await;
    }
    let sending = async {
        match (entry.kind(), &entry.url) {
            (NotifyKind::Webhook, Some(url)) => {
                let mut headers = vec![("X-Syndicator-Event", event.event.as_str().to_owned())];
                if let Some(secret) = &entry.secret {
                    headers.push((SIGNATURE_HEADER, signature(secret, raw)));
                }
                post(ctx, url.url(), "application/json", &headers, raw.to_vec()).await
            }
            (NotifyKind::Ntfy, Some(url)) => {
                post(ctx, url.url(), "text/plain; charset=utf-8", &ntfy_headers(event), ntfy_message(event))
                    .await
            }
            _ => Err("no url".to_owned()),
        }
    };
    match tokio::time::timeout(timeout, sending).await {
        Ok(result) => result,
        Err(_) => Err(format!("timed out after {} s (timeout_secs)", timeout.as_secs())),
    }
}

async fn post(
    ctx: &Ctx,
    url: &url::Url,
    content_type: &str,
    headers: &[(&'static str, String)],
    body: Vec<u8>,
) -> Result<(), String> {
    ctx.fetcher.post(url, content_type, headers, body).await.map_err(|e| e.to_string())
}

/// `sha256=<lowercase hex HMAC-SHA256 of body under secret>`.
pub fn signature(secret: &Secret, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret.0).expect("HMAC takes a key of any length");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// ntfy's `Title`, `Click` and `Tags` headers; text outside printable ASCII is sent as an
/// RFC 2047 encoded word, which ntfy decodes.
fn ntfy_headers(event: &Event) -> Vec<(&'static str, String)> {
    let title = match event.event {
        EventKind::StubWritten => format!("New draft: {}", event.title),
        EventKind::StubUpdated => format!("Draft updated: {}", event.title),
        EventKind::EmbedsPending => format!("New embeds for: {}", event.title),
        EventKind::SourceFailing | EventKind::SourceRecovered => event.title.clone(),
    };
    let mut headers =
        vec![("Title", header_text(&title)), ("Tags", format!("syndicator,{}", event.event.as_str()))];
    let click = event.permalink.as_ref().or_else(|| event.urls.values().next());
    if let Some(click) = click.filter(|url| url.is_ascii() && !url.contains(char::is_control)) {
        headers.push(("Click", click.clone()));
    }
    headers
}

/// The notification's body: what happened, where, and the links.
fn ntfy_message(event: &Event) -> Vec<u8> {
    let mut lines = vec![format!("{} ({})", event.title, event.channel)];
    lines.extend(event.path.clone());
    lines.extend(event.error.clone());
    lines.extend(event.urls.iter().map(|(platform, url)| format!("{platform}: {url}")));
    lines.join("\n").into_bytes()
}

/// Printable ASCII as is; anything else as one RFC 2047 Q-encoded word (`=?UTF-8?Q?…?=`).
fn header_text(text: &str) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.is_ascii() {
        return text;
    }
    let encoded: String = text
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => char::from(b).to_string(),
            b' ' => "_".to_owned(),
            _ => format!("={b:02X}"),
        })
        .collect();
    format!("=?UTF-8?Q?{encoded}?=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_rfc_4231_hmac_sha256() {
        // RFC 4231 test case 2.
        let secret = Secret(b"Jefe".to_vec());
        assert_eq!(
            signature(&secret, b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn header_text_keeps_ascii_and_encodes_the_rest() {
        assert_eq!(header_text("New draft: Hi"), "New draft: Hi");
        assert_eq!(header_text("a\r\nb"), "a  b");
        assert_eq!(header_text("AI 技"), "=?UTF-8?Q?AI_=E6=8A=80?=");
    }
}
