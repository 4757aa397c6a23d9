//! syndicator (code map written below as modules land).
pub mod episodes;
pub mod model;
pub mod source;
pub mod stub;
