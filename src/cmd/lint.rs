//! `handoff lint [MATRIX…]`: validate and lint matrices.
//!
//! Exit 0 when clean or only warnings, 1 when an error-level finding remains (or any finding with
//! `--deny-warnings`), 2 when a file cannot be read. Findings are reported sorted by file name and
//! then by position; an unreadable file stops the run before anything
//! is printed, so a CI log never shows a partial report.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::{LintArgs, LintFormat};
use crate::config::Config;
use crate::error::Error;
use crate::lint::{self, Severity};
use crate::output;
use crate::report;
use crate::source::SourceFile;

pub fn run(args: &LintArgs) -> Result<u8, Error> {
    let config = Config::discover(args.common.config.as_deref())?;
    let levels = config.levels.clone();
    let files = targets(&args.matrices, &config)?;
    let mut inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    inputs.extend(config.path.as_deref());
    crate::cmd::guard_outputs(&[args.output.as_deref()], &inputs, None)?;
    let mut diagnostics = Vec::new();
    let mut read = Vec::with_capacity(files.len());
    for path in &files {
        read.push(SourceFile::read(path)?);
    }
    for file in read {
        let (_, found) = lint::lint_source(Arc::new(file), &levels);
        diagnostics.extend(found);
    }
    // Findings come by file, then by position (each file's are already in position order).
    diagnostics.sort_by(|a, b| a.file.name.cmp(&b.file.name));
    let text = match args.format {
        LintFormat::Human => {
            let color = output::use_color(
                args.common.color.forced(),
                !output::is_stdout(args.output.as_deref()),
            );
            report::human::render(&diagnostics, files.len(), color, args.common.quiet)
        }
        LintFormat::Json => report::json::render(&diagnostics, files.len()),
        LintFormat::Sarif => report::sarif::render(&diagnostics),
        LintFormat::Github => report::github::render(&diagnostics),
        LintFormat::Junit => {
            let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            report::junit::lint(&diagnostics, &names, args.deny_warnings)
        }
    };
    output::emit(args.output.as_deref(), &text)?;
    let failed = diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error || args.deny_warnings);
    Ok(u8::from(failed))
}

/// The files to lint: those given, else the matrix in handoff.toml, else `rules/*.yaml`.
fn targets(given: &[PathBuf], config: &Config) -> Result<Vec<PathBuf>, Error> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    if let Some(m) = &config.matrix {
        return Ok(vec![config.base.join(m)]);
    }
    let dir = Path::new("rules");
    let mut found: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    if found.is_empty() {
        return Err(Error::NoMatrix);
    }
    found.sort();
    Ok(found)
}
