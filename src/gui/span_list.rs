//! The spans of the document (label, text, note), filterable by label; a click selects the span
//! and scrolls to it. Also the details of the selected span, with its editable note.

use super::commands::Command;
use super::document_view::{label_color, shorten};
use crate::model::{Document, Relation, RelationId, Schema, Span, SpanId};

/// The list's filter.
#[derive(Default)]
pub struct SpanList {
    /// Show only spans with this label.
    pub filter: Option<String>,
}

impl SpanList {
    /// Shows the list (only the rows on screen are built, so 50,000 spans stay cheap).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        schema: &Schema,
        selected: Option<SpanId>,
        out: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            ui.strong("Spans");
            let label = ui.label("filter");
            egui::ComboBox::from_id_salt("span-filter")
                .selected_text(self.filter.clone().unwrap_or_else(|| "all labels".to_owned()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter, None, "all labels");
                    for l in &schema.labels {
                        ui.selectable_value(&mut self.filter, Some(l.name.clone()), &l.name);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        let filtered: Vec<usize>;
        let rows: &[usize] = match &self.filter {
            Some(f) => {
                filtered = doc.spans.iter().enumerate().filter(|(_, s)| &s.label == f).map(|(i, _)| i).collect();
                &filtered
            }
            None => &[],
        };
        let count = if self.filter.is_some() { rows.len() } else { doc.spans.len() };
        if count == 0 {
            ui.weak("No spans yet. Select text and press a label's key.");
            return;
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        egui::ScrollArea::vertical().id_salt("span-list").auto_shrink([false, false]).show_rows(
            ui,
            row_height,
            count,
            |ui, range| {
                for i in range {
                    let at = if self.filter.is_some() { rows.get(i).copied() } else { Some(i) };
                    let Some(span) = at.and_then(|at| doc.spans.get(at)) else { continue };
                    let color = schema.label(&span.label).map_or(egui::Color32::GRAY, |l| label_color(l.color));
                    let text = doc.covered_text(span).map(|t| shorten(t, 40)).unwrap_or_default();
                    let mut job = egui::text::LayoutJob::default();
                    let body = egui::TextStyle::Body.resolve(ui.style());
                    job.append("■ ", 0.0, egui::TextFormat::simple(body.clone(), color));
                    job.append(
                        &format!("{:<9} ", span.label),
                        0.0,
                        egui::TextFormat::simple(body.clone(), ui.visuals().strong_text_color()),
                    );
                    job.append(&text, 0.0, egui::TextFormat::simple(body.clone(), ui.visuals().text_color()));
                    if span.note.is_some() {
                        job.append("  ✏", 0.0, egui::TextFormat::simple(body, ui.visuals().weak_text_color()));
                    }
                    let response = ui.add(egui::Button::selectable(selected == Some(span.id), job).truncate());
                    if response.clicked() {
                        out.push(Command::SelectSpan(span.id));
                    }
                }
            },
        );
    }
}

/// The selected span: label, text, offsets, note (edited in a draft, committed when the field
/// loses focus). Returns a note change to apply.
pub fn selected_span_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    schema: &Schema,
    span: &Span,
    draft: &mut Option<(SpanId, String)>,
    selected_relation: Option<RelationId>,
    out: &mut Vec<Command>,
) -> Option<(SpanId, Option<String>)> {
    let color = schema.label(&span.label).map_or(egui::Color32::GRAY, |l| label_color(l.color));
    ui.horizontal(|ui| {
        ui.strong("Selected span");
        ui.colored_label(color, format!("■ {}", span.label));
    });
    ui.label(egui::RichText::new(format!("“{}”", shorten(doc.covered_text(span).unwrap_or(""), 120))).italics());
    ui.weak(format!(
        "code points {}–{}{}",
        span.start,
        span.end,
        span.annotator.as_ref().map(|a| format!(" · by {a}")).unwrap_or_default()
    ));
    if draft.as_ref().is_none_or(|(id, _)| *id != span.id) {
        *draft = Some((span.id, span.note.clone().unwrap_or_default()));
    }
    let mut change = None;
    if let Some((id, text)) = draft.as_mut() {
        let label = ui.label("Note");
        let field = ui
            .add(
                egui::TextEdit::multiline(text)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text("a note on this span"),
            )
            .labelled_by(label.id);
        let new = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        if field.lost_focus() && new != span.note {
            change = Some((*id, new));
        }
    }
    ui.horizontal(|ui| {
        if ui.button("Link to…").on_hover_text("Link this span to another (R), then click the target").clicked() {
            out.push(Command::StartLink);
        }
        if ui.button("Delete span").on_hover_text("Delete (Del)").clicked() {
            out.push(Command::DeleteSpan);
        }
    });
    let links: Vec<&Relation> = doc.relations.iter().filter(|r| r.from == span.id || r.to == span.id).collect();
    if !links.is_empty() {
        ui.add_space(2.0);
        ui.weak("Links of this span");
        for r in links {
            relation_row(ui, doc, schema, r, selected_relation, "span-link", out);
        }
    }
    change
}

/// The document's links (relations), from → to and type, each selectable and deletable.
pub fn relations_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    schema: &Schema,
    selected_relation: Option<RelationId>,
    out: &mut Vec<Command>,
) {
    let title = format!("Links ({})", doc.relations.len());
    egui::CollapsingHeader::new(title).id_salt("links-section").default_open(true).show(ui, |ui| {
        if doc.relations.is_empty() {
            ui.weak("No links yet. Select a span, press R, then click the span it points to.");
            return;
        }
        egui::ScrollArea::vertical().id_salt("links-list").max_height(160.0).auto_shrink([false, true]).show(
            ui,
            |ui| {
                for r in &doc.relations {
                    relation_row(ui, doc, schema, r, selected_relation, "doc-link", out);
                }
            },
        );
    });
}

/// One link: an Unlink button, then "said  “Governor Marsh” → “close every dock”".
fn relation_row(
    ui: &mut egui::Ui,
    doc: &Document,
    schema: &Schema,
    r: &Relation,
    selected: Option<RelationId>,
    salt: &str,
    out: &mut Vec<Command>,
) {
    let end = |id: SpanId| -> (String, egui::Color32) {
        doc.span(id).map_or_else(
            || (format!("span {id}"), egui::Color32::GRAY),
            |s| {
                let color = schema.label(&s.label).map_or(egui::Color32::GRAY, |l| label_color(l.color));
                (format!("“{}”", doc.covered_text(s).map(|t| shorten(t, 22)).unwrap_or_default()), color)
            },
        )
    };
    let (from, from_color) = end(r.from);
    let (to, to_color) = end(r.to);
    ui.push_id((salt, r.id), |ui| {
        ui.horizontal(|ui| {
            let body = egui::TextStyle::Body.resolve(ui.style());
            let mut job = egui::text::LayoutJob::default();
            job.append(
                &format!("{}  ", r.label),
                0.0,
                egui::TextFormat::simple(body.clone(), ui.visuals().strong_text_color()),
            );
            job.append(&from, 0.0, egui::TextFormat::simple(body.clone(), from_color));
            job.append(" → ", 0.0, egui::TextFormat::simple(body.clone(), ui.visuals().text_color()));
            job.append(&to, 0.0, egui::TextFormat::simple(body, to_color));
            if ui.button("Unlink").on_hover_text("Delete this link (select it and press Del)").clicked() {
                out.push(Command::DeleteRelation(r.id));
            }
            let row = ui.add(egui::Button::selectable(selected == Some(r.id), job).truncate());
            if row.clicked() {
                out.push(Command::SelectSpan(r.from));
                out.push(Command::SelectRelation(r.id));
            }
        });
    });
}
