//! The daemon as the HTTP server sees it: health, status and on-demand syncs.

use std::sync::Arc;

use super::Daemon;
use crate::server::{Control, SyncRefused};
use crate::websub::callback::{Delivered, Push, Verification};

pub struct DaemonControl(pub Arc<Daemon>);

impl Control for DaemonControl {
    fn health(&self) -> Result<(), String> {
        if let Err(e) = self.0.ctx().store.channel_state("") {
            return Err(format!("the store cannot be read: {e}"));
        }
        if !self.0.scheduler_alive() {
            return Err("a channel's scheduler is not running".to_owned());
        }
        self.0.feeds_failure().map_or(Ok(()), Err)
    }

    fn status(&self) -> anyhow::Result<serde_json::Value> {
        let ctx = self.0.ctx();
        let mut channels = crate::status::collect(&ctx.config, &ctx.store)?;
        for channel in &mut channels {
            channel.next_run = self.0.next_run(&ctx, &channel.id);
        }
        let websub = crate::status::subscriptions(&ctx.store)?;
        let recent_stubs = crate::status::recent_stubs(&ctx.config, &ctx.store)?;
        let git = crate::git::GitStatus::collect(&ctx.config);
        let feeds_error = self.0.feeds_failure();
        Ok(serde_json::json!({
            "channels": channels, "websub": websub, "recent_stubs": recent_stubs,
            "feeds_error": feeds_error, "git": git
        }))
    }

    fn sync_now(&self, channel: Option<String>) -> Result<Vec<String>, SyncRefused> {
        let ctx = self.0.ctx();
        let ids: Vec<String> = match channel {
            Some(id) if ctx.config.channel(&id).is_none() => return Err(SyncRefused::UnknownChannel(id)),
            Some(id) => vec![id],
            None => ctx.config.channels.iter().map(|c| c.id().to_owned()).collect(),
        };
        if !ids.iter().all(|id| self.0.spawn_run(id.clone())) {
            return Err(SyncRefused::ShuttingDown);
        }
        Ok(ids)
    }

    fn rebuild_feeds(&self) -> anyhow::Result<serde_json::Value> {
        let (names, delivery) = self.0.try_rebuild_feeds().map_err(anyhow::Error::msg)?;
        let changed = delivery.changed.len();
        let public = self.0.ctx().config.public_dir();
        let files: Vec<String> =
            names.iter().map(|name| crate::commands::shown(&public.join(name))).collect();
        Ok(serde_json::json!({ "files": files, "changed": changed }))
    }

    fn websub_verify(&self, token: &str, query: &Verification) -> Option<String> {
        self.0.websub_verify(token, query)
    }

    fn websub_notify(&self, token: &str, push: &Push) -> Delivered {
        self.0.websub_notify(token, push)
    }
}
