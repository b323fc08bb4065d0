//! Output templates: text with `%field` placeholders (`%proc.name`,
//! `%proc.aname[2]`, `%tolower(user.name)`, `%20fd.name` for a width),
//! compiled once per rule.

use std::fmt::Write as _;

use crate::compile::Operand;
use crate::condition::{self, parse_operand_prefix};
use crate::fields::Source;
use crate::value::Val;

/// What a missing value prints as.
pub const NOT_AVAILABLE: &str = "<NA>";

#[derive(Debug)]
enum Piece<S: Source> {
    Text(String),
    Field {
        name: String,
        operand: Operand<S>,
        width: Option<usize>,
    },
}

/// A compiled output template.
#[derive(Debug)]
pub struct Template<S: Source> {
    pieces: Vec<Piece<S>>,
}

impl<S: Source> Template<S> {
    /// Compiles `text`, resolving each placeholder with `resolve`.
    pub fn compile(
        text: &str,
        resolve: &mut dyn FnMut(&condition::Operand) -> Result<Operand<S>, String>,
    ) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('%') {
            literal.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            if after.is_empty() {
                return Err("a lone `%` ends the output".to_owned());
            }
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let width = after[..digits].parse::<usize>().ok().map(|w| w.min(4096));
            match parse_operand_prefix(&after[digits..]) {
                Some((operand, used)) => {
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    let name = after[digits..digits + used].to_owned();
                    pieces.push(Piece::Field {
                        operand: resolve(&operand).map_err(|e| format!("`%{name}`: {e}"))?,
                        name,
                        width,
                    });
                    rest = &after[digits + used..];
                }
                // As in Falco, every `%` starts a field.
                None => {
                    let token: String = after[digits..]
                        .chars()
                        .take_while(|c| !c.is_whitespace())
                        .take(64)
                        .collect();
                    return Err(format!("`%{token}` is not a field"));
                }
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Self { pieces })
    }

    /// The text with every placeholder filled in (`<NA>` where a value is missing).
    pub fn render(&self, event: &S::Event<'_>) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Field { operand, width, .. } => {
                    let value = operand.value(event);
                    let text = value.render();
                    let text = text.as_deref().unwrap_or(NOT_AVAILABLE);
                    match width {
                        Some(w) => {
                            let cut: String = text.chars().take(*w).collect();
                            let _ = write!(out, "{cut:<w$}", w = *w);
                        }
                        None => out.push_str(text),
                    }
                }
            }
        }
        out
    }

    /// Each placeholder and its value, for JSON alerts.
    pub fn fields<'b>(&self, event: &'b S::Event<'_>) -> Vec<(&str, Val<'b>)> {
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Field { name, operand, .. } => Some((name.as_str(), operand.value(event))),
                Piece::Text(_) => None,
            })
            .collect()
    }
}
