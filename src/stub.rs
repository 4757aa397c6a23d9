//! Rendering Hugo stub posts.
