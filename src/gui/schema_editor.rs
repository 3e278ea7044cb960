//! The schema editor: add a label, rename it, recolour it, change its hotkey; add, rename, change
//! or remove a document label, its values and hotkey. Changes are made on a draft and applied as
//! one undoable step (renames carry to the spans and documents).

use super::commands::{is_bindable_key, reserved_plain_keys};
use crate::model::{DocLabelDef, Edit, LabelDef, Schema};

/// One label being edited, with the name it had when the editor opened.
#[derive(Clone, Debug)]
struct Row {
    original: Option<String>,
    name: String,
    color: [u8; 3],
    key: String,
    description: String,
}

/// One document label being edited, with the name it had when the editor opened.
#[derive(Clone, Debug)]
struct DocRow {
    original: Option<String>,
    name: String,
    /// The values, comma-separated as typed.
    values: String,
    key: String,
    description: String,
}

/// The draft schema.
pub struct SchemaEditor {
    rows: Vec<Row>,
    doc_rows: Vec<DocRow>,
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
        let doc_rows = schema
            .doc_labels
            .iter()
            .map(|d| DocRow {
                original: Some(d.name.clone()),
                name: d.name.clone(),
                values: d.values.join(", "),
                key: d.key.map(String::from).unwrap_or_default(),
                description: d.description.clone(),
            })
            .collect();
        Self { rows, doc_rows, error: None }
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
                field(ui, egui::TextEdit::singleline(&mut row.name).hint_text("label name"), 120.0);
                field(ui, egui::TextEdit::singleline(&mut row.key).char_limit(1).hint_text("key"), 28.0);
                field(ui, egui::TextEdit::singleline(&mut row.description).hint_text("what it means"), 220.0);
                ui.end_row();
            }
        });
        if ui.button("Add label").clicked() {
            let draft = self.draft();
            let n = self.rows.len() + 1;
            self.rows.push(Row {
                original: None,
                name: format!("label{n}"),
                color: draft.next_color().0,
                key: draft.next_key().map(String::from).unwrap_or_default(),
                description: String::new(),
            });
        }
        ui.add_space(8.0);
        ui.strong("Document labels");
        ui.weak("Set once per document; the key cycles through the values.");
        let mut remove = None;
        if !self.doc_rows.is_empty() {
            egui::Grid::new("doc-label-grid").num_columns(5).spacing([10.0, 6.0]).show(ui, |ui| {
                ui.strong("Name");
                ui.strong("Values (comma-separated)");
                ui.strong("Key");
                ui.strong("Description");
                ui.label("");
                ui.end_row();
                for (i, row) in self.doc_rows.iter_mut().enumerate() {
                    field(ui, egui::TextEdit::singleline(&mut row.name).hint_text("document label name"), 120.0);
                    field(ui, egui::TextEdit::singleline(&mut row.values).hint_text("yes, no"), 180.0);
                    field(
                        ui,
                        egui::TextEdit::singleline(&mut row.key).char_limit(1).hint_text("document label key"),
                        28.0,
                    );
                    field(ui, egui::TextEdit::singleline(&mut row.description).hint_text("what it asks"), 220.0);
                    if ui.small_button("✖").on_hover_text(format!("Remove document label {:?}", row.name)).clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        }
        if let Some(i) = remove {
            self.doc_rows.remove(i);
        }
        ui.horizontal(|ui| {
            if ui.button("Add document label").clicked() {
                let draft = self.draft();
                let n = self.doc_rows.len() + 1;
                self.doc_rows.push(DocRow {
                    original: None,
                    name: format!("doclabel{n}"),
                    values: "yes, no".to_owned(),
                    key: draft.next_doc_label_key().map(String::from).unwrap_or_default(),
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
        ui.weak(
            "Renaming a label renames it on every span, a document label on every document. A label or value \
             still in use cannot be removed. Apply makes one undoable step.",
        );
        result
    }

    /// The draft as far as it parses, for picking free colours and keys.
    fn draft(&self) -> Schema {
        Schema {
            labels: self.rows.iter().filter_map(|r| to_label(r).ok()).collect(),
            relations: Vec::new(),
            doc_labels: self.doc_rows.iter().filter_map(|r| to_doc_label(r).ok()).collect(),
        }
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
        for row in &self.doc_rows {
            if let Some(original) = &row.original {
                if *original != row.name.trim() {
                    edits.push(Edit::RenameDocLabel { from: original.clone(), to: row.name.trim().to_owned() });
                }
            }
        }
        let labels = self.rows.iter().map(to_label).collect::<Result<Vec<_>, _>>()?;
        let doc_labels = self.doc_rows.iter().map(to_doc_label).collect::<Result<Vec<_>, _>>()?;
        let mut relations = schema.relations.clone();
        for kind in &mut relations {
            for end in kind.from.iter_mut().chain(kind.to.iter_mut()) {
                if let Some(row) = self.rows.iter().find(|r| r.original.as_deref() == Some(end.as_str())) {
                    *end = row.name.trim().to_owned();
                }
            }
        }
        edits.push(Edit::SetSchema(Schema { labels, relations, doc_labels }));
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

/// A text field of a fixed width: a grid sizes its columns from the first frame, where a field
/// with only a desired width would shrink to its header's width and stay there.
fn field(ui: &mut egui::Ui, edit: egui::TextEdit<'_>, width: f32) -> egui::Response {
    ui.add_sized([width, ui.spacing().interact_size.y], edit)
}

fn to_doc_label(row: &DocRow) -> Result<DocLabelDef, String> {
    let name = row.name.trim();
    let mut chars = row.key.trim().chars();
    let key = chars.next().map(|c| c.to_ascii_lowercase());
    if chars.next().is_some() {
        return Err(format!("the hotkey of {name:?} must be one character"));
    }
    if let Some(key) = key {
        if reserved_plain_keys().contains(&key) {
            return Err(format!("the hotkey {key:?} of {name:?} is taken by a command (R starts a link)"));
        }
        if !is_bindable_key(key) {
            return Err(format!("the hotkey of {name:?} must be a letter or a digit"));
        }
    }
    let values: Vec<String> =
        row.values.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect();
    Ok(DocLabelDef { name: name.to_owned(), values, key, description: row.description.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Project};

    fn doc_row(original: Option<&str>, name: &str, values: &str, key: &str) -> DocRow {
        DocRow {
            original: original.map(str::to_owned),
            name: name.into(),
            values: values.into(),
            key: key.into(),
            description: String::new(),
        }
    }

    #[test]
    fn doc_label_rows_become_one_undoable_edit_with_renames() {
        let mut p = Project::new("p");
        p.documents.push(Document::new("d1", "t", "x"));
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows.push(doc_row(None, " escalation ", "yes, no,, unclear ", "E"));
        let edit = editor.edit(&p.schema).unwrap();
        edit.apply(&mut p).unwrap();
        let def = p.schema.doc_label("escalation").unwrap();
        assert_eq!(
            (def.values.as_slice(), def.key),
            (&["yes".to_owned(), "no".into(), "unclear".into()][..], Some('e'))
        );
        Edit::SetDocLabel { doc: 0, name: "escalation".into(), value: Some("no".into()) }.apply(&mut p).unwrap();
        // Rename the doc label: the document follows.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].name = "escalates".into();
        editor.edit(&p.schema).unwrap().apply(&mut p).unwrap();
        assert_eq!(p.documents[0].doc_label("escalates"), Some("no"));
        // Dropping a value in use is refused by the model.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].values = "yes".into();
        assert!(editor.edit(&p.schema).unwrap().apply(&mut p).is_err());
        // Removing the whole row too, while a document uses it.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows.clear();
        assert!(editor.edit(&p.schema).unwrap().apply(&mut p).is_err());
    }

    #[test]
    fn doc_label_keys_must_be_free_letters_or_digits() {
        let schema = Schema::default_news();
        let mut editor = SchemaEditor::new(&schema);
        editor.doc_rows.push(doc_row(None, "x", "a", "r"));
        assert!(editor.edit(&schema).unwrap_err().contains("taken by a command"));
        editor.doc_rows[0].key = "ü".into();
        assert!(editor.edit(&schema).unwrap_err().contains("a letter or a digit"));
        editor.doc_rows[0].key = "1".into();
        // A clash with a span label's key is a schema problem the model reports.
        let mut p = Project::new("p");
        let err = editor.edit(&schema).unwrap().apply(&mut p).unwrap_err();
        assert!(err.to_string().contains("share the hotkey '1'"), "{err}");
    }
}
