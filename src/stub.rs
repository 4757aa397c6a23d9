//! Rendering Hugo stub posts.

mod text;
mod yaml;

pub use text::plain_text;
pub use yaml::quote_yaml;
