//! Where reports go, with colour only where it belongs, and how problems are
//! told on standard error.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anstream::{AutoStream, ColorChoice};
use kubeward_core::Diagnostic;

use crate::cli::ColorWhen;

/// Opens standard output or `--output FILE`. Styled output (text) is
/// coloured on standard output as `--color` says (`auto`: on a terminal, with
/// `NO_COLOR` and `CLICOLOR_FORCE` honoured); a file written with `--output`
/// never gets colour, whatever `--color` says. Machine formats are written as
/// they are.
pub(crate) fn open(
    path: Option<&Path>,
    color: ColorWhen,
    styled: bool,
) -> io::Result<Box<dyn Write>> {
    let choice = match color {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    };
    Ok(match (path, styled) {
        (Some(path), false) => Box::new(BufWriter::new(File::create(path)?)),
        (None, false) => Box::new(BufWriter::new(io::stdout().lock())),
        (Some(path), true) => Box::new(BufWriter::new(AutoStream::new(
            File::create(path)?,
            ColorChoice::Never,
        ))),
        (None, true) => Box::new(BufWriter::new(AutoStream::new(io::stdout().lock(), choice))),
    })
}

/// Writes a whole report, turning an I/O failure into the usage/input exit code.
pub(crate) fn write_report(
    path: Option<&Path>,
    color: ColorWhen,
    styled: bool,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), u8> {
    let result = open(path, color, styled).and_then(|mut out| {
        render(&mut out)?;
        out.flush()
    });
    match result {
        Ok(()) => Ok(()),
        // A closed pipe (`kubeward scan | head`) is not an error of ours.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            let target =
                path.map_or_else(|| "standard output".to_owned(), |p| p.display().to_string());
            error(&format!("{target}: {e}"));
            Err(2)
        }
    }
}

#[allow(clippy::print_stderr)]
pub(crate) fn error(message: &str) {
    eprintln!("error: {message}");
}

#[allow(clippy::print_stderr)]
pub(crate) fn notice(message: &str) {
    eprintln!("notice: {message}");
}

/// Tells input errors (always) and notices (unless quiet) on standard error.
pub(crate) fn tell(errors: &[Diagnostic], notices: &[Diagnostic], quiet: bool) {
    if !quiet {
        for n in notices {
            notice(&n.to_string());
        }
    }
    for e in errors {
        error(&e.to_string());
    }
}
