//! Fonts: egui's defaults, then small bundled subsets of Noto Naskh Arabic (Urdu, Pashto, Dari,
//! Arabic) and Noto Sans Devanagari (Hindi), then system fonts (Chinese and whatever else they
//! cover) as fallbacks, so those texts show glyphs, not boxes, even on a machine with only
//! DejaVu installed. The bundled fonts and their licence are in `assets/fonts/`.
//!
//! egui 0.37 shapes each run of one font (Arabic letters join), but never reorders right-to-left
//! text: the document view lays such paragraphs out itself, in reading order, with an exact map
//! between code points and places (see `visual_text`).

use std::path::PathBuf;
use std::sync::Arc;

/// Well-known places of fonts that cover scripts egui's defaults lack, most wanted first.
const CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/google-noto/NotoSansDevanagari-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    "/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
    "C:\\Windows\\Fonts\\Nirmala.ttf",
    "C:\\Windows\\Fonts\\msyh.ttc",
];

/// Languages whose fonts fontconfig is asked for, when it is installed.
const FONTCONFIG_LANGS: &[&str] = &["ar", "ur", "fa", "hi", "zh-cn"];

/// Fonts larger than this are skipped (a full CJK collection would slow the start).
const MAX_FONT_BYTES: u64 = 40 * 1024 * 1024;

/// Fonts compiled into the binary, tried right after egui's defaults: (name, bytes).
const BUNDLED: &[(&str, &[u8])] = &[
    ("noto-naskh-arabic", include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular-subset.ttf")),
    ("noto-sans-devanagari", include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular-subset.ttf")),
];

/// Installs egui's defaults, the bundled fallbacks and, when `system` is true, the system's
/// fallback fonts (probing them costs a few file reads and `fc-match` runs).
pub fn install(ctx: &egui::Context, system: bool) {
    ctx.set_fonts(definitions(system));
}

/// The font definitions [`install`] sets.
pub fn definitions(system: bool) -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    for (name, bytes) in BUNDLED {
        fonts.font_data.insert((*name).to_owned(), Arc::new(egui::FontData::from_static(bytes)));
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            fonts.families.entry(family).or_default().push((*name).to_owned());
        }
    }
    // egui's monospace font has the arrows (→) and box symbols its proportional fonts lack.
    if fonts.font_data.contains_key("Hack") {
        fonts.families.entry(egui::FontFamily::Proportional).or_default().push("Hack".to_owned());
    }
    let paths = if system { fallback_paths() } else { Vec::new() };
    for (i, path) in paths.into_iter().enumerate() {
        let small = std::fs::metadata(&path).is_ok_and(|m| m.len() <= MAX_FONT_BYTES);
        let Ok(bytes) = std::fs::read(&path).map_err(|_| ()).and_then(|b| if small { Ok(b) } else { Err(()) }) else {
            continue;
        };
        let name = format!("system-{i}");
        fonts.font_data.insert(name.clone(), Arc::new(egui::FontData::from_owned(bytes)));
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            fonts.families.entry(family).or_default().push(name.clone());
        }
    }
    fonts
}

/// The style of the app: a little more air than egui's default.
pub fn install_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        style.spacing.interact_size.y = 24.0;
    });
}

fn fallback_paths() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = CANDIDATES.iter().map(PathBuf::from).filter(|p| p.is_file()).collect();
    for lang in FONTCONFIG_LANGS {
        let found = std::process::Command::new("fc-match")
            .args(["--format=%{file}", &format!("sans-serif:lang={lang}")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        if let Some(path) = found.filter(|p| p.is_file()) {
            if !out.contains(&path) {
                out.push(path);
            }
        }
    }
    out
}
