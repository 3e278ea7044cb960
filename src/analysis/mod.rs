//! Analysis over projects: statistics (and, later, agreement, merge, pre-annotation).

pub mod stats;
