//! Analysis over projects: statistics, agreement, merge (n-way and three-way) and assignment.

pub mod agreement;
pub mod merge;
pub mod merge3;
pub mod naming;
pub mod split;
pub mod stats;
