//! The schema editor: add a label, rename it, recolour it, change its hotkey. Changes are made on
//! a draft and applied as one undoable step (renames carry to the spans).

use crate::model::{Edit, LabelDef, Schema};

/// One label being edited, with the name it had when the editor opened.
#[derive(Clone, Debug)]
struct Row {
    original: Option<String>,
    name: String,
    color: [u8; 3],
    key: String,
    description: String,
}

/// The draft schema.
pub struct SchemaEditor {
    rows: Vec<Row>,
    error: Option<String>,
}

impl SchemaEditor {
    /// A draft of `schema`.
    pub fn new(schema: &Schema) -> Self {
        let rows = schema
            .labels
            .iter()
            .map(|l| Row {
                original: Some(l.name.clone()),
                name: l.name.clone(),
                color: l.color.0,
                key: l.key.map(String::from).unwrap_or_default(),
                description: l.description.clone(),
            })
            .collect();
        Self { rows, error: None }
    }

    /// Shows the editor; returns the edit to apply when "Apply" is clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, schema: &Schema) -> Option<Edit> {
        let mut result = None;
        egui::Grid::new("schema-grid").num_columns(4).spacing([10.0, 6.0]).show(ui, |ui| {
            ui.strong("Colour");
            ui.strong("Name");
            ui.strong("Key");
            ui.strong("Description");
            ui.end_row();
            for (i, row) in self.rows.iter_mut().enumerate() {
                ui.color_edit_button_srgb(&mut row.color).on_hover_text(format!("Colour of label {}", i + 1));
                ui.add(egui::TextEdit::singleline(&mut row.name).desired_width(120.0).hint_text("label name"));
                ui.add(egui::TextEdit::singleline(&mut row.key).desired_width(28.0).char_limit(1).hint_text("key"));
                ui.add(
                    egui::TextEdit::singleline(&mut row.description).desired_width(220.0).hint_text("what it means"),
                );
                ui.end_row();
            }
        });
        ui.horizontal(|ui| {
            if ui.button("Add label").clicked() {
                let mut draft = Schema::default();
                draft.labels = self.rows.iter().filter_map(|r| to_label(r).ok()).collect();
                let n = self.rows.len() + 1;
                self.rows.push(Row {
                    original: None,
                    name: format!("label{n}"),
                    color: draft.next_color().0,
                    key: draft.next_key().map(String::from).unwrap_or_default(),
                    description: String::new(),
                });
            }
            if ui.button("Apply").clicked() {
                match self.edit(schema) {
                    Ok(edit) => {
                        self.error = None;
                        result = Some(edit);
                    }
                    Err(err) => self.error = Some(err),
                }
            }
            if ui.button("Revert").clicked() {
                *self = Self::new(schema);
            }
        });
        if let Some(err) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, err);
        }
        ui.weak("Renaming a label renames it on every span. Apply makes one undoable step.");
        result
    }

    /// The edit that turns `schema` into the draft: renames first, then the new schema.
    fn edit(&self, schema: &Schema) -> Result<Edit, String> {
        let mut edits = Vec::new();
        for row in &self.rows {
            if let Some(original) = &row.original {
                if *original != row.name.trim() {
                    edits.push(Edit::RenameLabel { from: original.clone(), to: row.name.trim().to_owned() });
                }
            }
        }
        let labels = self.rows.iter().map(to_label).collect::<Result<Vec<_>, _>>()?;
        let mut relations = schema.relations.clone();
        for kind in &mut relations {
            for end in kind.from.iter_mut().chain(kind.to.iter_mut()) {
                if let Some(row) = self.rows.iter().find(|r| r.original.as_deref() == Some(end.as_str())) {
                    *end = row.name.trim().to_owned();
                }
            }
        }
        edits.push(Edit::SetSchema(Schema { labels, relations, doc_labels: schema.doc_labels.clone() }));
        Ok(Edit::Batch(edits))
    }
}

fn to_label(row: &Row) -> Result<LabelDef, String> {
    let mut chars = row.key.trim().chars();
    let key = chars.next();
    if chars.next().is_some() {
        return Err(format!("the hotkey of {:?} must be one character", row.name));
    }
    Ok(LabelDef {
        name: row.name.trim().to_owned(),
        color: crate::model::Color(row.color),
        key,
        description: row.description.clone(),
    })
}
