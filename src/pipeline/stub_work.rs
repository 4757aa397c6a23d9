//! The stub work fixes by hand (`link`, `unlink`, `forget`) leave for a channel's next run:
//! each touched episode's stub is brought up to date the way a late embed is (an untouched
//! stub rewritten, an edited one given pending embed lines), and a stub asked for is written.
//! The work is marked done only after the episodes are recorded.

use super::new_stub::{Asked, write_stub};
use super::stubs::{record, refresh_stub};
use super::{ChannelReport, Ctx};
use crate::config::Channel;
use crate::content::Stubs;
use crate::episodes::Hosts;
use crate::episodes::manual::StubWork;
use crate::model::StubState;

/// Does the stub work waiting for `channel`; see the module docs.
pub fn do_stub_work(ctx: &Ctx, channel: &Channel, report: &mut ChannelReport) -> anyhow::Result<()> {
    let work = ctx.store.stub_work(Some(channel.id()))?;
    if work.is_empty() {
        return Ok(());
    }
    let hosts = Hosts::of(&ctx.store.channel_episodes(channel.id())?);
    let mut on_disk = Stubs::new(&ctx.section);
    let mut settled = Vec::with_capacity(work.len());
    let done = (|| {
        for (id, kind) in &work {
            let Some(mut episode) = ctx.store.episode(id.as_str())? else { continue };
            match (&episode.stub, kind) {
                (StubState::Skipped, StubWork::Write) => {
                    write_stub(ctx, channel, &hosts, &mut episode, Asked::ByHand, &mut on_disk, report)?;
                }
                (StubState::Written { .. } | StubState::Edited { .. }, _) => {
                    refresh_stub(ctx, channel, &hosts, &mut episode, &mut on_disk, report)?;
                }
                (StubState::Skipped | StubState::Deleted { .. }, _) => {}
            }
            settled.push(episode);
        }
        anyhow::Ok(())
    })();
    record(ctx, &settled, report)?;
    done?;
    if !ctx.dry_run {
        let ids: Vec<_> = work.into_iter().map(|(id, _)| id).collect();
        ctx.store.finish_stub_work(&ids)?;
    }
    Ok(())
}
