//! One adapter per wire format, each turning fetched bytes into [`crate::model::Item`]s.
