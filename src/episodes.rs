//! Grouping items of one talk across platforms.
