//! Analysis over projects: statistics, agreement, merge (n-way and three-way), the conflicts a
//! merge leaves for review, assignment and pre-annotation (suggestions from gazetteers and regex
//! rules).

pub mod agreement;
pub mod conflicts;
pub mod merge;
pub mod merge3;
pub mod naming;
pub mod split;
pub mod stats;
pub mod suggest;
