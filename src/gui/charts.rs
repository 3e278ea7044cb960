//! Bar charts (egui_plot) for the statistics and agreement windows: one bar per category, named
//! on the x axis, coloured, with its value written above it. Fixed view: no zoom or drag, so
//! the mouse wheel scrolls the window rather than the chart.

use egui::Color32;
use egui_plot::{Bar, BarChart, GridMark, Plot, PlotPoint, Text};

/// One series of a chart: a name (for the hover text) and one value per category.
pub struct Series {
    /// Shown in the legend, when there are several series.
    pub name: String,
    /// One value per category (`None`: no bar).
    pub values: Vec<Option<f64>>,
    /// The colour of each bar (one per category), or one colour for all.
    pub colors: Vec<Color32>,
}

/// A bar chart of `series` over `categories`; `value_text` writes a value above its bar.
pub fn bars(
    ui: &mut egui::Ui,
    id: &str,
    categories: &[String],
    series: &[Series],
    height: f32,
    value_text: &dyn Fn(f64) -> String,
) {
    let groups = series.len().max(1) as f64;
    let width = 0.7 / groups;
    let names = categories.to_vec();
    let n = categories.len();
    let max = series.iter().flat_map(|s| s.values.iter().flatten().copied()).fold(0.0f64, f64::max);
    let text_color = ui.visuals().strong_text_color();
    let value_size = ui.text_style_height(&egui::TextStyle::Body) * 0.8;
    let plot = Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .show_grid([false, true])
        .include_x(-0.6)
        .include_x(n as f64 - 0.4)
        .include_y(0.0)
        // Room above the tallest bar for its value.
        .include_y(if max > 0.0 { max * 1.15 } else { 1.0 })
        .x_grid_spacer(move |_| (0..n).map(|i| GridMark { value: i as f64, step_size: 1.0 }).collect())
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_axis_min_width(28.0);
    if series.len() > 1 {
        // A legend of our own above the chart: the plot's would cover the last bars.
        ui.horizontal(|ui| {
            for s in series {
                super::table::swatch(ui, s.colors.first().copied().unwrap_or(Color32::GRAY));
                ui.label(&s.name);
                ui.add_space(12.0);
            }
        });
    }
    plot.show(ui, |plot_ui| {
        for (k, s) in series.iter().enumerate() {
            let offset = (k as f64 - (groups - 1.0) / 2.0) * width;
            let mut bars = Vec::new();
            for (i, value) in s.values.iter().enumerate() {
                let Some(value) = *value else { continue };
                let color = s.colors.get(i).or(s.colors.first()).copied().unwrap_or(Color32::GRAY);
                let x = i as f64 + offset;
                let name = categories.get(i).cloned().unwrap_or_default();
                bars.push(
                    Bar::new(x, value)
                        .width(width * 0.92)
                        .name(format!("{name}: {}", value_text(value)))
                        .fill(color.gamma_multiply(0.85))
                        .stroke(egui::Stroke::new(1.0, color)),
                );
                let at = PlotPoint::new(x, value);
                let text = egui::RichText::new(value_text(value)).size(value_size);
                plot_ui.text(
                    // No name: value texts stay out of hover and legend.
                    Text::new("", at, text).anchor(egui::Align2::CENTER_BOTTOM).color(text_color),
                );
            }
            let color = s.colors.first().copied().unwrap_or(Color32::GRAY);
            plot_ui.bar_chart(
                BarChart::new(s.name.clone(), bars).color(color).element_formatter(Box::new(|bar, _| bar.name.clone())),
            );
        }
    });
}
