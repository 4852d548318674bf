//! The pool kind's figures as files: each drawn figure written as SVG, PNG
//! and PDF, its caption and links for the report, and the layout problems
//! the written SVG shows.

use crate::analysis::{figure_files, AnalysisError, OutputFile};
use crate::present::pool_figures::{draw, Drawn, PoolFigures};
use crate::project::AnalysisSpec;

/// Files, the report's figure section and layout warnings.
pub(crate) struct Written {
    pub files: Vec<OutputFile>,
    pub markdown: String,
    pub warnings: Vec<String>,
}

fn add(spec: &AnalysisSpec, out: &mut Written, d: Drawn) -> Result<(), AnalysisError> {
    let (stem, caption) = (d.stem.as_str(), d.caption.as_str());
    let [svg, png, pdf] = figure_files(spec, stem, d.svg)?;
    if let Ok(text) = std::str::from_utf8(&svg.bytes) {
        out.warnings.extend(
            crate::plot::check::layout_problems(text)
                .into_iter()
                .map(|p| format!("{stem} figure: {p}")),
        );
    }
    out.markdown.push_str(&format!(
        "![{}]({}/{stem}.png)\n\n*{}* ([SVG]({}/{stem}.svg) · [PDF]({}/{stem}.pdf))\n\n",
        crate::export::escape_markdown(caption),
        spec.name,
        crate::export::escape_markdown(caption),
        spec.name,
        spec.name
    ));
    out.files.extend([svg, png, pdf]);
    Ok(())
}

pub(crate) fn write(spec: &AnalysisSpec, f: &PoolFigures<'_>) -> Result<Written, AnalysisError> {
    let mut out = Written {
        files: Vec::new(),
        markdown: String::new(),
        warnings: Vec::new(),
    };
    for d in draw(f) {
        add(spec, &mut out, d)?;
    }
    Ok(out)
}
