//! A table of figures as the statistics and agreement windows show it and export it as CSV: one
//! value per cell, drawn rounded for reading and written in full for a spreadsheet.

use egui_extras::{Column, TableBuilder};

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Words (a label, a title, a status).
    Text(String),
    /// A count.
    Count(usize),
    /// A ratio in 0..=1 (precision, F1, a share), or undefined (`None`).
    Ratio(Option<f64>),
    /// A figure that may be negative or above 1 (kappa), or undefined.
    Figure(Option<f64>),
    /// Nothing here (no label): a dash on screen, an empty field in CSV.
    Empty,
}

impl Cell {
    /// The cell as shown: ratios as percentages with one decimal, figures with three decimals,
    /// undefined values as an en dash.
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Ratio(Some(x)) => format!("{:.1}%", x * 100.0),
            Cell::Figure(Some(x)) => format!("{x:.3}"),
            Cell::Ratio(None) | Cell::Figure(None) | Cell::Empty => "–".to_owned(),
        }
    }

    /// The cell in a CSV file: numbers in full (ratios as fractions, not percentages), an
    /// undefined value as an empty field.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Ratio(x) | Cell::Figure(x) => x.map(|x| x.to_string()).unwrap_or_default(),
            Cell::Empty => String::new(),
        }
    }

    fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Empty)
    }
}

/// A titled table with a header row.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// What it shows ("Spans per label").
    pub title: String,
    /// The name its CSV file gets after the project's stem (`labels` → `p-labels.csv`).
    pub file_suffix: &'static str,
    /// Column names.
    pub header: Vec<String>,
    /// The rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table.
    pub fn new(title: impl Into<String>, file_suffix: &'static str, header: &[&str]) -> Self {
        Self {
            title: title.into(),
            file_suffix,
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: vec![],
        }
    }

    /// The table as CSV (RFC 4180, as the corpus export writes it), header first.
    pub fn to_csv(&self) -> String {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = crate::formats::export::write_csv_record(&mut out, &self.header);
        for row in &self.rows {
            let fields: Vec<String> = row.iter().map(Cell::csv).collect();
            let _ = crate::formats::export::write_csv_record(&mut out, &fields);
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Draws the table with a fixed header; only the visible rows are laid out. Cells of the
    /// column `link` (if any) are buttons: the index of a clicked row is returned. `colors`
    /// gives, by row and column, a swatch before a cell (a label's colour).
    pub fn ui(
        &self,
        ui: &mut egui::Ui,
        id: &str,
        link: Option<usize>,
        colors: &dyn Fn(usize, usize) -> Option<egui::Color32>,
        max_height: f32,
    ) -> Option<usize> {
        let mut clicked = None;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let char_width = ui.text_style_height(&egui::TextStyle::Body) * 0.45;
        let mut builder = TableBuilder::new(ui)
            .id_salt(id)
            .striped(true)
            .resizable(true)
            .max_scroll_height(max_height)
            .auto_shrink([false, true])
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        for (i, name) in self.header.iter().enumerate() {
            let numeric = self.rows.first().and_then(|r| r.get(i)).is_some_and(Cell::numeric);
            let column = if i == 0 || !numeric {
                Column::auto_with_initial_suggestion(if link == Some(i) { 240.0 } else { 110.0 }).at_least(60.0)
            } else {
                // Right-aligned figures would stretch an auto-sized column to the whole window:
                // a fixed start width, from the header, that the user can drag.
                let width = (name.chars().count() as f32 * char_width + 16.0).clamp(56.0, 120.0);
                Column::initial(width).at_least(40.0)
            };
            builder = builder.column(column.clip(true));
        }
        builder
            .header(row_height, |mut header| {
                for name in &self.header {
                    header.col(|ui| {
                        ui.strong(name);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.rows.len(), |mut row| {
                    let r = row.index();
                    let Some(cells) = self.rows.get(r) else { return };
                    for (c, cell) in cells.iter().enumerate() {
                        row.col(|ui| {
                            if let Some(color) = colors(r, c) {
                                swatch(ui, color);
                            }
                            if link == Some(c) {
                                if ui.link(cell.shown()).on_hover_text("Open").clicked() {
                                    clicked = Some(r);
                                }
                            } else if cell.numeric() {
                                // Figures line up on the right, as in a spreadsheet.
                                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                    ui.label(cell.shown());
                                });
                            } else {
                                ui.label(cell.shown());
                            }
                        });
                    }
                });
            });
        clicked
    }
}

/// A small square of a label's colour.
pub fn swatch(ui: &mut egui::Ui, color: egui::Color32) {
    let size = ui.text_style_height(&egui::TextStyle::Body) * 0.7;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_keeps_full_precision_and_quotes() {
        let mut t = Table::new("T", "t", &["label", "n", "f1", "kappa"]);
        t.rows.push(vec![
            Cell::Text("a, \"b\"".into()),
            Cell::Count(3),
            Cell::Ratio(Some(2.0 / 3.0)),
            Cell::Figure(None),
        ]);
        assert_eq!(t.to_csv(), format!("label,n,f1,kappa\r\n\"a, \"\"b\"\"\",3,{},\r\n", 2.0f64 / 3.0));
        assert_eq!(t.rows[0][2].shown(), "66.7%");
        assert_eq!(Cell::Figure(Some(-0.2)).shown(), "-0.200");
    }
}
