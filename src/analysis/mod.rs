//! Analysis over projects: statistics, agreement, merge (n-way and three-way), the
//! conflicts a merge leaves for review and assignment.

pub mod agreement;
pub mod conflicts;
pub mod merge;
pub mod merge3;
pub mod split;
pub mod stats;
