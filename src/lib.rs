//! syndicator (code map written below as modules land).
pub mod model;
pub mod source;
pub mod episodes;
pub mod stub;
