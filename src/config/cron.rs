//! Cron expressions as users write them, translated for the `cron` crate.
//!
//! Both the standard 5-field form (`min hour day month weekday`) and the 6-field form with
//! seconds first are accepted (a 7th field, the year, too). Weekday *numbers* always mean what
//! they mean in crontab — 0 or 7 = Sunday, 1 = Monday … 6 = Saturday — in every form. The
//! `cron` crate numbers them 1 = Sunday … 7 = Saturday, so numeric weekdays are rewritten as
//! names (`1-5` → `MON,TUE,WED,THU,FRI`) before the crate sees them. Names (`MON`–`SUN`)
//! mean the same everywhere.

use std::collections::BTreeSet;
use std::str::FromStr;

const DAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// A validated cron schedule and the expression the user wrote.
#[derive(Debug, Clone)]
pub struct CronSchedule {
    pub expression: String,
    pub schedule: cron::Schedule,
}

impl CronSchedule {
    pub fn parse(expression: &str) -> Result<CronSchedule, String> {
        let invalid = |why: String| {
            format!(
                "invalid cron expression \"{expression}\": {why} \
                 (use `min hour day month weekday`, or `sec min hour day month weekday`)"
            )
        };
        let translated = translate(expression).map_err(invalid)?;
        let schedule = cron::Schedule::from_str(&translated).map_err(|e| invalid(e.to_string()))?;
        if schedule.upcoming(chrono::Utc).next().is_none() {
            return Err(invalid("it never fires (a date that does not exist, or a past year)".to_owned()));
        }
        Ok(CronSchedule { expression: expression.to_owned(), schedule })
    }
}

/// The expression in the `cron` crate's form: seconds first, weekdays as names.
fn translate(expression: &str) -> Result<String, String> {
    let mut fields: Vec<String> = expression.split_whitespace().map(str::to_owned).collect();
    match fields.len() {
        5 => fields.insert(0, "0".to_owned()),
        6 | 7 => {}
        n => return Err(format!("{n} fields")),
    }
    fields[5] = weekdays(&fields[5])?;
    Ok(fields.join(" "))
}

/// A weekday field with crontab numbering, as a list of day names (or `*` / `?` as is).
fn weekdays(field: &str) -> Result<String, String> {
    if field == "*" || field == "?" {
        return Ok(field.to_owned());
    }
    let mut days = BTreeSet::new();
    for part in field.split(',') {
        days.extend(expand(part)?);
    }
    Ok(days.into_iter().map(|d| DAY_NAMES[usize::from(d)]).collect::<Vec<_>>().join(","))
}

/// One comma-separated part: `N`, `NAME`, `A-B`, `*/S`, `A-B/S` or `A/S`; days as 0..=6.
fn expand(part: &str) -> Result<Vec<u8>, String> {
    let (range, step) = match part.split_once('/') {
        Some((range, step)) => (range, step.parse::<u8>().ok().filter(|s| *s > 0).ok_or("bad weekday step")?),
        None => (part, 1),
    };
    let (first, last) = match range.split_once('-') {
        _ if range == "*" => (0, 6),
        Some((a, b)) => (day(a)?, day(b)?),
        None if step > 1 => (day(range)?, 6),
        None => (day(range)?, day(range)?),
    };
    let last = if last == 0 && first > 0 { 7 } else { last };
    if first > last {
        return Err(format!("weekday range {part} runs backwards"));
    }
    Ok((first..=last).step_by(usize::from(step)).map(|d| d % 7).collect())
}

/// A weekday number (0–7, crontab style) or name, as 0..=6 with 0 = Sunday; 7 stays 7 so
/// that ranges like `5-7` work, and is folded to Sunday by the caller.
fn day(text: &str) -> Result<u8, String> {
    if let Ok(n) = text.parse::<u8>() {
        return (n <= 7).then_some(n).ok_or_else(|| format!("weekday {n} is not 0-7"));
    }
    let upper = text.to_ascii_uppercase();
    DAY_NAMES
        .iter()
        .position(|name| upper.starts_with(name) && (upper.len() == 3 || full_name(name) == upper))
        .map(|i| i as u8)
        .ok_or_else(|| format!("unknown weekday \"{text}\""))
}

fn full_name(short: &str) -> &'static str {
    match short {
        "SUN" => "SUNDAY",
        "MON" => "MONDAY",
        "TUE" => "TUESDAY",
        "WED" => "WEDNESDAY",
        "THU" => "THURSDAY",
        "FRI" => "FRIDAY",
        _ => "SATURDAY",
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, TimeZone, Utc, Weekday};

    use super::*;

    fn check(expression: &str, expected: &str) {
        assert_eq!(translate(expression).as_deref(), Ok(expected), "{expression}");
    }

    /// The weekdays of the next seven daily fires.
    fn fire_days(expression: &str) -> Vec<Weekday> {
        let schedule = CronSchedule::parse(expression).unwrap().schedule;
        let start = Utc.with_ymd_and_hms(2025, 11, 24, 0, 0, 0).unwrap();
        schedule.after(&start).take(7).map(|t| t.weekday()).collect()
    }

    #[test]
    fn five_fields_get_a_seconds_field() {
        check("0 * * * *", "0 0 * * * *");
        check("*/15 9-17 * * *", "0 */15 9-17 * * *");
        check("0 */30 * * * *", "0 */30 * * * *");
        check("0 0 12 * * ? 2030", "0 0 12 * * ? 2030");
    }

    #[test]
    fn weekday_numbers_mean_what_crontab_means() {
        check("0 9 * * 1", "0 0 9 * * MON");
        check("0 9 * * 0", "0 0 9 * * SUN");
        check("0 9 * * 7", "0 0 9 * * SUN");
        check("0 9 * * 1-5", "0 0 9 * * MON,TUE,WED,THU,FRI");
        check("0 9 * * 5-7", "0 0 9 * * SUN,FRI,SAT");
        check("0 9 * * */2", "0 0 9 * * SUN,TUE,THU,SAT");
        check("0 9 * * 1-5/2", "0 0 9 * * MON,WED,FRI");
        check("0 9 * * mon,Fri", "0 0 9 * * MON,FRI");
        check("0 9 * * Saturday", "0 0 9 * * SAT");
        check("0 0 9 * * 1", "0 0 9 * * MON");
    }

    #[test]
    fn monday_fires_on_mondays() {
        assert!(fire_days("0 9 * * 1").iter().all(|d| *d == Weekday::Mon));
        assert!(fire_days("0 0 9 * * 1").iter().all(|d| *d == Weekday::Mon));
        assert!(fire_days("0 9 * * 0").iter().all(|d| *d == Weekday::Sun));
        let weekdays = fire_days("0 9 * * 1-5");
        assert!(!weekdays.contains(&Weekday::Sat) && !weekdays.contains(&Weekday::Sun));
    }

    #[test]
    fn bad_expressions_are_explained() {
        for bad in [
            "every hour",
            "* * * *",
            "0 9 * * 8",
            "0 9 * * FUNDAY",
            "0 9 * * 5-1",
            "0 9 * * */0",
            "61 * * * *",
        ] {
            let error = CronSchedule::parse(bad).expect_err(bad);
            assert!(error.contains(bad), "{error}");
        }
    }
}
