//! Analysis over projects: statistics (and, later, agreement, merge, pre-annotation).

pub mod agreement;
pub mod merge;
pub mod merge3;
pub mod stats;
