//! When each channel runs under `syndicator serve`. This module decides *when*; what runs is
//! the same unit of work as `sync` (a callback), so there is one code path, not two.
//!
//! - Each channel fires on its cron schedule, evaluated in the site time zone (see
//!   `config::cron` for the expression forms). Across daylight-saving changes the `cron` crate
//!   works on local wall-clock times: a time skipped by a spring-forward gap does not fire that
//!   day, and a time repeated by a fall-back change fires once.
//! - A random start jitter (`[schedule] jitter_secs`) spreads channels that share a schedule.
//! - The next fire time is always computed from the current wall clock, after the previous run
//!   finished: after a suspend or a long stall, missed ticks run once, not once per tick. Sleeps
//!   are cut into slices of at most [`MAX_SLEEP`] so a wall-clock jump is noticed quickly.
//! - A channel never runs twice at once: a tick that finds it still running is skipped (the
//!   runner's lock is shared with `POST /api/sync`).
//! - Failing sources back off inside the unit of work (`pipeline::poll`), never disabling a
//!   channel.

use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::config::CronSchedule;

/// The longest single sleep; the wall clock is re-read after each.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

/// Where "now" comes from: the wall clock in production, a paused tokio clock in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system wall clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// A clock that starts at `start` and advances with tokio's (pausable) clock.
pub fn tokio_clock(start: DateTime<Utc>) -> Clock {
    let origin = tokio::time::Instant::now();
    Arc::new(move || start + chrono::Duration::from_std(origin.elapsed()).unwrap_or_default())
}

/// The first fire time strictly after `now`, in `tz`.
pub fn next_fire(schedule: &CronSchedule, tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    schedule.schedule.after(&now.with_timezone(&tz)).next().map(|t| t.with_timezone(&Utc))
}

/// A random delay in `0..=max` seconds.
pub fn jitter(max_secs: u64) -> Duration {
    match max_secs {
        0 => Duration::ZERO,
        max => Duration::from_millis(RandomState::new().hash_one(max) % (max * 1000 + 1)),
    }
}

/// Runs `tick` every time `schedule` fires, until `shutdown` resolves. Each fire is delayed by
/// a fresh jitter of up to `jitter_secs`.
pub async fn run_schedule<F, Fut>(
    schedule: CronSchedule,
    tz: Tz,
    jitter_secs: u64,
    clock: Clock,
    shutdown: impl Future<Output = ()>,
    mut tick: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    tokio::pin!(shutdown);
    loop {
        let Some(next) = next_fire(&schedule, tz, clock()) else {
            shutdown.await;
            return;
        };
        let due = next + chrono::Duration::from_std(jitter(jitter_secs)).unwrap_or_default();
        tokio::select! {
            () = sleep_until_wall(due, &clock) => tick().await,
            () = &mut shutdown => return,
        }
    }
}

/// Sleeps until the wall clock reaches `due`, in slices of at most [`MAX_SLEEP`].
pub async fn sleep_until_wall(due: DateTime<Utc>, clock: &Clock) {
    loop {
        let left = (due - clock()).to_std().unwrap_or(Duration::ZERO);
        if left.is_zero() {
            return;
        }
        tokio::time::sleep(left.min(MAX_SLEEP)).await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn next_fire_is_evaluated_in_the_site_time_zone() {
        let daily_nine = CronSchedule::parse("0 9 * * *").unwrap();
        let next = next_fire(&daily_nine, chrono_tz::Asia::Taipei, at("2025-11-24T02:00:00Z")).unwrap();
        assert_eq!(next, at("2025-11-25T01:00:00Z"), "09:00 in Taipei is 01:00 UTC");
    }

    #[test]
    fn a_time_skipped_by_daylight_saving_does_not_fire_that_day() {
        let half_past_two = CronSchedule::parse("30 2 * * *").unwrap();
        let tz = chrono_tz::Europe::Berlin;
        let next = next_fire(&half_past_two, tz, at("2025-03-29T12:00:00Z")).unwrap();
        assert_eq!(next, at("2025-03-31T00:30:00Z"), "02:30 does not exist on 2025-03-30 in Berlin");
        let autumn = next_fire(&half_past_two, tz, at("2025-10-25T12:00:00Z")).unwrap();
        assert_eq!(autumn, at("2025-10-26T00:30:00Z"), "the repeated 02:30 fires once");
        let after = next_fire(&half_past_two, tz, autumn).unwrap();
        assert_eq!(after, at("2025-10-27T01:30:00Z"));
    }

    #[test]
    fn jitter_stays_within_its_bound() {
        assert_eq!(jitter(0), Duration::ZERO);
        assert!((0..50).map(|_| jitter(2)).all(|j| j <= Duration::from_secs(2)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_seconds_schedule_fires_once_per_tick_and_stops_on_shutdown() {
        let clock = tokio_clock(at("2025-11-24T00:00:00.5Z"));
        let fired = Arc::new(Mutex::new(Vec::new()));
        let log = fired.clone();
        let tick_clock = clock.clone();
        let every_ten = CronSchedule::parse("*/10 * * * * *").unwrap();
        let shutdown = tokio::time::sleep(Duration::from_secs(35));
        run_schedule(every_ten, chrono_tz::UTC, 0, clock, shutdown, || {
            log.lock().unwrap().push(tick_clock());
            async {}
        })
        .await;
        let fired = fired.lock().unwrap();
        let seconds: Vec<_> = fired.iter().map(|t| t.timestamp() % 60).collect();
        assert_eq!(seconds, vec![10, 20, 30]);
    }

    #[tokio::test(start_paused = true)]
    async fn missed_ticks_during_a_long_run_fire_once_not_once_each() {
        let clock = tokio_clock(at("2025-11-24T00:00:00Z"));
        let count = Arc::new(Mutex::new(0));
        let counter = count.clone();
        let every_second = CronSchedule::parse("* * * * * *").unwrap();
        let shutdown = tokio::time::sleep(Duration::from_secs(31));
        run_schedule(every_second, chrono_tz::UTC, 0, clock, shutdown, || {
            *counter.lock().unwrap() += 1;
            tokio::time::sleep(Duration::from_secs(10))
        })
        .await;
        assert_eq!(*count.lock().unwrap(), 3, "a 10 s run spans 10 ticks and the next fires once");
    }
}
