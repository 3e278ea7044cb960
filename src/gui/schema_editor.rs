//! The schema editor: add a label, rename it, recolour it, change its hotkey; add, rename, change
//! or remove a document label and its hotkey, and its values one per row (add, rename in place,
//! remove when no document uses it). Changes are made on a draft and applied as one undoable step
//! (renames carry to the spans and documents).

use super::commands::{is_bindable_key, reserved_plain_keys};
use crate::model::{DocLabelDef, Edit, LabelDef, Project, Schema};

/// One label being edited, with the name it had when the editor opened.
#[derive(Clone, Debug)]
struct Row {
    original: Option<String>,
    name: String,
    color: [u8; 3],
    key: String,
    description: String,
}

/// One value of a document label being edited, with the value it had when the editor opened.
#[derive(Clone, Debug)]
struct ValueRow {
    original: Option<String>,
    value: String,
}

/// One document label being edited, with the name it had when the editor opened.
#[derive(Clone, Debug)]
struct DocRow {
    original: Option<String>,
    name: String,
    /// The values, one per row, in order.
    values: Vec<ValueRow>,
    key: String,
    description: String,
}

/// A value a document label is all but sure never to have (it starts with a private-use
/// character; control characters, which no name may hold, would be refused by the edit itself): a
/// value being renamed passes through it, so that values may swap names or take the name of one
/// removed in the same step.
fn passing_name(i: usize) -> String {
    format!("\u{E000}renaming {i}")
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
                values: d.values.iter().map(|v| ValueRow { original: Some(v.clone()), value: v.clone() }).collect(),
                key: d.key.map(String::from).unwrap_or_default(),
                description: d.description.clone(),
            })
            .collect();
        Self { rows, doc_rows, error: None }
    }

    /// Shows the editor for `project`'s schema; returns the edit to apply when "Apply" is clicked.
    pub fn ui(&mut self, ui: &mut egui::Ui, project: &Project) -> Option<Edit> {
        let schema = &project.schema;
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
                ui.strong("Values");
                ui.strong("Key");
                ui.strong("Description");
                ui.label("");
                ui.end_row();
                for (i, row) in self.doc_rows.iter_mut().enumerate() {
                    ui.vertical(|ui| {
                        field(ui, egui::TextEdit::singleline(&mut row.name).hint_text("document label name"), 120.0);
                    });
                    values_ui(ui, row, project);
                    ui.vertical(|ui| {
                        field(
                            ui,
                            egui::TextEdit::singleline(&mut row.key).char_limit(1).hint_text("document label key"),
                            28.0,
                        );
                    });
                    ui.vertical(|ui| {
                        field(ui, egui::TextEdit::singleline(&mut row.description).hint_text("what it asks"), 220.0);
                    });
                    ui.vertical(|ui| {
                        let used = row.original.as_deref().map_or(0, |name| documents_using(project, name, None));
                        let button = ui
                            .add_enabled(used == 0, egui::Button::new("✖").small())
                            .accessible_name(format!("Remove document label {:?}", row.name))
                            .on_hover_text(format!("Remove document label {:?}", row.name))
                            .on_disabled_hover_text(format!(
                                "{:?} is set on {}: unset it there first",
                                row.name,
                                super::count(used, "document", "documents")
                            ));
                        if button.clicked() {
                            remove = Some(i);
                        }
                    });
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
                    values: ["yes", "no"].iter().map(|v| ValueRow { original: None, value: (*v).to_owned() }).collect(),
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
            "Renaming a label renames it on every span, a document label or one of its values on every \
             document. A label or value still in use cannot be removed. Apply makes one undoable step.",
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
        let mut passing = Vec::new();
        for row in &self.doc_rows {
            let Some(original) = &row.original else { continue };
            let name = row.name.trim();
            if original != name {
                edits.push(Edit::RenameDocLabel { from: original.clone(), to: name.to_owned() });
            }
            // Renamed values first take a passing name, then (after the new schema) their own.
            for value in &row.values {
                let Some(from) = &value.original else { continue };
                if from != value.value.trim() {
                    let through = passing_name(passing.len());
                    edits.push(Edit::RenameDocLabelValue {
                        name: name.to_owned(),
                        from: from.clone(),
                        to: through.clone(),
                    });
                    passing.push((name.to_owned(), through, value.value.trim().to_owned()));
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
        let mut passing_labels = doc_labels.clone();
        for (name, through, to) in &passing {
            if let Some(def) = passing_labels.iter_mut().find(|d| d.name == *name) {
                if let Some(v) = def.values.iter_mut().find(|v| *v == to) {
                    v.clone_from(through);
                }
            }
        }
        let renamed = !passing.is_empty();
        edits.push(Edit::SetSchema(Schema {
            labels: labels.clone(),
            relations: relations.clone(),
            doc_labels: passing_labels,
        }));
        for (name, through, to) in passing {
            edits.push(Edit::RenameDocLabelValue { name, from: through, to });
        }
        if renamed {
            // Checks the schema as it ends up (a renamed value given twice, say).
            edits.push(Edit::SetSchema(Schema { labels, relations, doc_labels }));
        }
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

/// The values of one document label, one field per value, with ✖ (refused while documents use
/// the value) and "Add value".
fn values_ui(ui: &mut egui::Ui, row: &mut DocRow, project: &Project) {
    ui.vertical(|ui| {
        let mut remove = None;
        let label = row.name.trim().to_owned();
        for (j, value) in row.values.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                let edit = egui::TextEdit::singleline(&mut value.value).hint_text("value");
                field(ui, edit, 150.0).accessible_name(format!("Value {} of {label}", j + 1));
                let used = match (&row.original, &value.original) {
                    (Some(name), Some(v)) => documents_using(project, name, Some(v)),
                    _ => 0,
                };
                let shown = value.original.as_deref().unwrap_or(&value.value);
                let button = ui
                    .add_enabled(used == 0, egui::Button::new("✖").small())
                    .accessible_name(format!("Remove value {shown:?} of {label}"))
                    .on_hover_text(format!("Remove the value {shown:?}"))
                    .on_disabled_hover_text(format!(
                        "{shown:?} is set on {}: rename it here, or set them to another value first",
                        super::count(used, "document", "documents")
                    ));
                if button.clicked() {
                    remove = Some(j);
                }
            });
        }
        if let Some(j) = remove {
            row.values.remove(j);
        }
        if ui.small_button("Add value").on_hover_text(format!("A new value of {label}")).clicked() {
            row.values.push(ValueRow { original: None, value: format!("value{}", row.values.len() + 1) });
        }
    });
}

/// How many documents set doc label `name` (to `value`, when given).
fn documents_using(project: &Project, name: &str, value: Option<&str>) -> usize {
    project.documents.iter().filter(|d| d.doc_label(name).is_some_and(|v| value.is_none_or(|value| v == value))).count()
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
    let mut values = Vec::new();
    for value in &row.values {
        let v = value.value.trim();
        if v.is_empty() {
            if value.original.is_some() {
                return Err(format!("a value of {name:?} is empty: type its name, or remove it with ✖"));
            }
            // A value added and left empty is dropped.
            continue;
        }
        values.push(v.to_owned());
    }
    Ok(DocLabelDef { name: name.to_owned(), values, key, description: row.description.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Project};

    fn doc_row(original: Option<&str>, name: &str, values: &[&str], key: &str) -> DocRow {
        DocRow {
            original: original.map(str::to_owned),
            name: name.into(),
            values: values.iter().map(|v| ValueRow { original: None, value: (*v).to_owned() }).collect(),
            key: key.into(),
            description: String::new(),
        }
    }

    fn values(p: &Project, name: &str) -> Vec<String> {
        p.schema.doc_label(name).map(|d| d.values.clone()).unwrap_or_default()
    }

    fn set(p: &mut Project, doc: usize, name: &str, value: &str) {
        Edit::SetDocLabel { doc, name: name.into(), value: Some(value.into()) }.apply(p).unwrap();
    }

    /// A project with doc label "escalation" (yes, no), d1 = no, d2 = yes.
    fn escalation() -> Project {
        let mut p = Project::new("p");
        p.documents.push(Document::new("d1", "t", "x"));
        p.documents.push(Document::new("d2", "t", "y"));
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows.push(doc_row(None, "escalation", &["yes", "no"], "e"));
        editor.edit(&p.schema).unwrap().apply(&mut p).unwrap();
        set(&mut p, 0, "escalation", "no");
        set(&mut p, 1, "escalation", "yes");
        p
    }

    #[test]
    fn doc_label_rows_become_one_undoable_edit_with_renames() {
        let mut p = Project::new("p");
        p.documents.push(Document::new("d1", "t", "x"));
        let mut editor = SchemaEditor::new(&p.schema);
        // Trimmed; a value added and left empty is dropped; a comma is part of a value.
        editor.doc_rows.push(doc_row(None, " escalation ", &["yes", " no ", "", "unclear, mixed "], "E"));
        let edit = editor.edit(&p.schema).unwrap();
        edit.apply(&mut p).unwrap();
        let def = p.schema.doc_label("escalation").unwrap();
        assert_eq!(
            (def.values.as_slice(), def.key),
            (&["yes".to_owned(), "no".into(), "unclear, mixed".into()][..], Some('e'))
        );
        set(&mut p, 0, "escalation", "no");
        // Rename the doc label: the document follows.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].name = "escalates".into();
        editor.edit(&p.schema).unwrap().apply(&mut p).unwrap();
        assert_eq!(p.documents[0].doc_label("escalates"), Some("no"));
        // Dropping a value in use is refused by the model.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].values.remove(1);
        assert!(editor.edit(&p.schema).unwrap().apply(&mut p).is_err());
        // Removing the whole row too, while a document uses it.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows.clear();
        assert!(editor.edit(&p.schema).unwrap().apply(&mut p).is_err());
    }

    #[test]
    fn a_value_renamed_in_place_carries_to_its_documents_in_one_step() {
        let mut p = escalation();
        let before = p.clone();
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].values[1].value = "no, denied ".into();
        let mut history = crate::model::History::new();
        let edit = editor.edit(&p.schema).unwrap();
        history.apply(&mut p, edit, "Edit labels").unwrap();
        assert_eq!(values(&p, "escalation"), ["yes", "no, denied"], "in its place");
        assert_eq!(p.documents[0].doc_label("escalation"), Some("no, denied"));
        assert_eq!(p.documents[1].doc_label("escalation"), Some("yes"));
        assert!(p.problems().is_empty(), "{:?}", p.problems());
        history.undo(&mut p).unwrap();
        assert_eq!(p, before, "one undo step");
    }

    #[test]
    fn values_may_swap_names_or_take_a_removed_one_with_the_doc_label_renamed() {
        let mut p = escalation();
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].name = "escalates".into();
        editor.doc_rows[0].values[0].value = "no".into();
        editor.doc_rows[0].values[1].value = "yes".into();
        editor.edit(&p.schema).unwrap().apply(&mut p).unwrap();
        assert_eq!(values(&p, "escalates"), ["no", "yes"]);
        assert_eq!(p.documents[0].doc_label("escalates"), Some("yes"));
        assert_eq!(p.documents[1].doc_label("escalates"), Some("no"));

        // Add an unused value, then remove it and give its name to a used one.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].values.push(ValueRow { original: None, value: "unclear".into() });
        editor.edit(&p.schema).unwrap().apply(&mut p).unwrap();
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].values.remove(2);
        editor.doc_rows[0].values[0].value = "unclear".into();
        editor.edit(&p.schema).unwrap().apply(&mut p).unwrap();
        assert_eq!(values(&p, "escalates"), ["unclear", "yes"]);
        assert_eq!(p.documents[1].doc_label("escalates"), Some("unclear"));
        assert!(p.problems().is_empty(), "{:?}", p.problems());
    }

    #[test]
    fn bad_value_renames_are_refused_whole() {
        let mut p = escalation();
        let before = p.clone();
        // Two values renamed to the same name.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].values[0].value = "maybe".into();
        editor.doc_rows[0].values[1].value = "maybe".into();
        let err = editor.edit(&p.schema).unwrap().apply(&mut p).unwrap_err();
        assert!(err.to_string().contains("\"maybe\""), "{err}");
        assert_eq!(p, before, "nothing applied");
        // A value emptied.
        let mut editor = SchemaEditor::new(&p.schema);
        editor.doc_rows[0].values[0].value = "  ".into();
        assert!(editor.edit(&p.schema).unwrap_err().contains("is empty"));
        assert_eq!(documents_using(&p, "escalation", Some("no")), 1);
        assert_eq!(documents_using(&p, "escalation", None), 2);
    }

    #[test]
    fn doc_label_keys_must_be_free_letters_or_digits() {
        let schema = Schema::default_news();
        let mut editor = SchemaEditor::new(&schema);
        editor.doc_rows.push(doc_row(None, "x", &["a"], "r"));
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
