//! Undo and redo, and the saved-revision marker that tells whether a project is modified.
//!
//! Each applied step gets a fresh revision number that is never reused. The project is *dirty*
//! when the revision it is at differs from the one last saved: undoing back to the saved state
//! makes it clean again, and a new edit after an undo never looks saved.

use super::edit::{Edit, EditError};
use super::project::Project;

/// One entry of the history: the edit that moves the project across it, and its name.
#[derive(Clone, Debug)]
struct Step {
    revision: u64,
    edit: Edit,
    name: String,
}

/// The undo and redo stacks of a project.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    last_revision: u64,
    saved_revision: u64,
}

impl History {
    /// An empty history whose initial state counts as saved.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `edit` to `project` as one undoable step called `name` (e.g. "Label span").
    pub fn apply(&mut self, project: &mut Project, edit: Edit, name: impl Into<String>) -> Result<(), EditError> {
        let inverse = edit.apply(project)?;
        self.last_revision += 1;
        self.undo.push(Step { revision: self.last_revision, edit: inverse, name: name.into() });
        self.redo.clear();
        Ok(())
    }

    /// Undoes the newest step; returns its name, or `None` when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Result<Option<String>, EditError> {
        let Some(step) = self.undo.pop() else { return Ok(None) };
        match step.edit.clone().apply(project) {
            Ok(redo) => {
                let name = step.name.clone();
                self.redo.push(Step { edit: redo, ..step });
                Ok(Some(name))
            }
            Err(err) => {
                self.undo.push(step);
                Err(err)
            }
        }
    }

    /// Redoes the newest undone step; returns its name, or `None` when there is nothing to redo.
    pub fn redo(&mut self, project: &mut Project) -> Result<Option<String>, EditError> {
        let Some(step) = self.redo.pop() else { return Ok(None) };
        match step.edit.clone().apply(project) {
            Ok(undo) => {
                let name = step.name.clone();
                self.undo.push(Step { edit: undo, ..step });
                Ok(Some(name))
            }
            Err(err) => {
                self.redo.push(step);
                Err(err)
            }
        }
    }

    /// Name of the step Undo would undo.
    pub fn undo_name(&self) -> Option<&str> {
        self.undo.last().map(|s| s.name.as_str())
    }

    /// Name of the step Redo would redo.
    pub fn redo_name(&self) -> Option<&str> {
        self.redo.last().map(|s| s.name.as_str())
    }

    /// The revision the project is at (0 before any edit).
    pub fn revision(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.revision)
    }

    /// Records that the project, as it is now, has been saved.
    pub fn mark_saved(&mut self) {
        self.saved_revision = self.revision();
    }

    /// Records that revision `revision` was saved (for saves that finish after later edits).
    pub fn mark_saved_at(&mut self, revision: u64) {
        self.saved_revision = revision;
    }

    /// True when the project differs from what was last saved.
    pub fn is_dirty(&self) -> bool {
        self.revision() != self.saved_revision
    }

    /// Forgets every step (e.g. after loading another project); the state counts as saved.
    pub fn clear(&mut self) {
        *self = Self { last_revision: self.last_revision, ..Self::default() };
        self.saved_revision = 0;
    }
}
