//! A recursive-descent parser for Falco conditions, following the grammar of
//! libsinsp's filter parser: `or` binds loosest, then `and`, then `not`;
//! values may be quoted or bare words; nesting depth is bounded.

use super::{Check, Expr, Op, Operand, Rhs, Transformer};

/// Deepest nesting of parentheses and `not`s accepted.
pub const MAX_DEPTH: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at column {column})")]
pub struct ParseError {
    /// 1-based character column in the condition text.
    pub column: usize,
    pub message: String,
}

/// Parses a whole condition.
pub fn parse_condition(text: &str) -> Result<Expr, ParseError> {
    let mut p = Parser::new(text);
    p.blank();
    if p.at_end() {
        return Err(p.error("empty condition"));
    }
    let expr = p.or()?;
    p.blank();
    if !p.at_end() {
        return Err(p.error(format!(
            "unexpected token after '{}', expecting 'or', 'and'",
            p.last_word()
        )));
    }
    Ok(expr)
}

/// Parses the operand at the start of `text` (as output placeholders do:
/// the longest field or transformer there) and how many bytes it took.
pub fn parse_operand_prefix(text: &str) -> Option<(Operand, usize)> {
    let mut p = Parser::new(text);
    match p.operand() {
        Ok(Some(operand)) => Some((operand, p.pos)),
        _ => None,
    }
}

/// Parses a lone operand (a field or transformer), as exceptions and outputs use.
pub fn parse_operand(text: &str) -> Result<Operand, ParseError> {
    let mut p = Parser::new(text);
    p.blank();
    let operand = p.operand()?.ok_or_else(|| p.error("expected a field"))?;
    p.blank();
    if !p.at_end() {
        return Err(p.error("unexpected text after the field"));
    }
    Ok(operand)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn is_bare(c: u8) -> bool {
    !is_blank(c) && !matches!(c, b'(' | b')' | b',' | b'=' | b'"' | b'\'')
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            column: self.text[..self.pos.min(self.text.len())].chars().count() + 1,
            message: message.into(),
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn blank(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    /// The word just before the current position, for messages.
    fn last_word(&self) -> &str {
        let before = self.text[..self.pos].trim_end();
        let start = before
            .rfind(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .map_or(0, |i| i + 1);
        &before[start..]
    }

    /// Consumes `word` when it is followed by a blank or `(`.
    fn keyword(&mut self, word: &str) -> bool {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(word.as_bytes())
            && rest
                .get(word.len())
                .is_some_and(|&c| is_blank(c) || c == b'(')
        {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("condition nested deeper than {MAX_DEPTH}")));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        self.chain("or", Self::and, Expr::Or)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        self.chain("and", Self::not, Expr::And)
    }

    /// Operands of `next` joined by the binary keyword `word`.
    fn chain(
        &mut self,
        word: &str,
        next: fn(&mut Self) -> Result<Expr, ParseError>,
        join: fn(Vec<Expr>) -> Expr,
    ) -> Result<Expr, ParseError> {
        let mut items = vec![next(self)?];
        loop {
            self.blank();
            if !self.keyword(word) {
                break;
            }
            items.push(next(self)?);
        }
        Ok(if items.len() == 1 {
            items.swap_remove(0)
        } else {
            join(items)
        })
    }

    fn not(&mut self) -> Result<Expr, ParseError> {
        self.blank();
        if self.keyword("not") {
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        self.blank();
        if self.peek() == Some(b'(') {
            self.enter()?;
            self.pos += 1;
            let inner = self.or()?;
            self.blank();
            if self.peek() != Some(b')') {
                return Err(self.error("expected ')'"));
            }
            self.pos += 1;
            self.depth -= 1;
            return Ok(inner);
        }
        let start = self.pos;
        if let Some(operand) = self.operand()? {
            return self.check(operand);
        }
        self.pos = start;
        let ident = self.identifier();
        if ident.is_empty() {
            return Err(self.error("expected a field, a macro name, 'not' or '('"));
        }
        Ok(Expr::Macro(ident.to_owned()))
    }

    fn identifier(&mut self) -> &'a str {
        let start = self.pos;
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            while self.peek().is_some_and(is_ident) {
                self.pos += 1;
            }
        }
        &self.text[start..self.pos]
    }

    /// A field (`a.b`, `a.b[arg]`) or a transformer call; `None` (position
    /// unchanged) when the text here is neither.
    fn operand(&mut self) -> Result<Option<Operand>, ParseError> {
        let start = self.pos;
        for kind in Transformer::ALL {
            let name = kind.name().as_bytes();
            if self.bytes[self.pos..].starts_with(name) {
                self.pos += name.len();
                self.blank();
                if self.peek() == Some(b'(') {
                    self.enter()?;
                    self.pos += 1;
                    self.blank();
                    let inner = self
                        .operand()?
                        .ok_or_else(|| self.error("expected a field inside the transformer"))?;
                    self.blank();
                    if self.peek() != Some(b')') {
                        return Err(self.error("expected ')' after the transformer's field"));
                    }
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Some(Operand::Transform {
                        kind,
                        arg: Box::new(inner),
                    }));
                }
                self.pos = start;
            }
        }
        if !self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            return Ok(None);
        }
        while self.peek().is_some_and(is_ident) {
            self.pos += 1;
        }
        let mut segments = 0;
        while self.peek() == Some(b'.')
            && self.bytes.get(self.pos + 1).is_some_and(|&c| is_ident(c))
        {
            self.pos += 1;
            while self.peek().is_some_and(is_ident) {
                self.pos += 1;
            }
            segments += 1;
        }
        if segments == 0 {
            self.pos = start;
            return Ok(None);
        }
        let name = self.text[start..self.pos].to_owned();
        let mut arg = None;
        if self.peek() == Some(b'[') {
            self.pos += 1;
            let value = if matches!(self.peek(), Some(b'"' | b'\'')) {
                self.quoted()?
            } else {
                let s = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| !is_blank(c) && !matches!(c, b'[' | b']' | b'"' | b'\''))
                {
                    self.pos += 1;
                }
                self.text[s..self.pos].to_owned()
            };
            if self.peek() != Some(b']') {
                return Err(self.error("expected ']' after the field argument"));
            }
            self.pos += 1;
            arg = Some(value);
        }
        Ok(Some(Operand::Field { name, arg }))
    }

    fn operator(&mut self) -> Option<Op> {
        for &(spelling, op) in Op::SPELLINGS {
            let rest = &self.bytes[self.pos..];
            if !rest.starts_with(spelling.as_bytes()) {
                continue;
            }
            let word = spelling.as_bytes()[0].is_ascii_alphabetic();
            let next = rest.get(spelling.len()).copied();
            if word && next.is_some_and(is_ident) {
                continue;
            }
            self.pos += spelling.len();
            return Some(op);
        }
        None
    }

    fn check(&mut self, lhs: Operand) -> Result<Expr, ParseError> {
        self.blank();
        let Some(op) = self.operator() else {
            return Err(self.error(format!("expected an operator after '{lhs}'")));
        };
        if op == Op::Exists {
            return Ok(Expr::Check(Check {
                lhs,
                op,
                rhs: Rhs::None,
            }));
        }
        self.blank();
        if op.takes_list() {
            let rhs = if self.peek() == Some(b'(') {
                Rhs::List(self.list()?)
            } else if let Some(operand) = self.rhs_operand()? {
                Rhs::Operand(operand)
            } else {
                return Err(self.error(format!("expected a list after '{}'", op.name())));
            };
            return Ok(Expr::Check(Check { lhs, op, rhs }));
        }
        if let Some(operand) = self.rhs_operand()? {
            return Ok(Expr::Check(Check {
                lhs,
                op,
                rhs: Rhs::Operand(operand),
            }));
        }
        for (word, all) in [("oneof", false), ("anyof", false), ("allof", true)] {
            let save = self.pos;
            if self.keyword(word) {
                self.blank();
                if self.peek() == Some(b'(') {
                    let checks = self
                        .list()?
                        .into_iter()
                        .map(|v| {
                            Expr::Check(Check {
                                lhs: lhs.clone(),
                                op,
                                rhs: Rhs::Value(v),
                            })
                        })
                        .collect();
                    return Ok(if all {
                        Expr::And(checks)
                    } else {
                        Expr::Or(checks)
                    });
                }
                self.pos = save;
            }
        }
        let value = self.value()?;
        Ok(Expr::Check(Check {
            lhs,
            op,
            rhs: Rhs::Value(value),
        }))
    }

    /// `val(field)` or a transformer on the right-hand side.
    fn rhs_operand(&mut self) -> Result<Option<Operand>, ParseError> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(b"val(") {
            self.pos += 4;
            self.blank();
            let inner = self
                .operand()?
                .ok_or_else(|| self.error("expected a field inside val()"))?;
            self.blank();
            if self.peek() != Some(b')') {
                return Err(self.error("expected ')' after val(field"));
            }
            self.pos += 1;
            return Ok(Some(inner));
        }
        if Transformer::ALL
            .iter()
            .any(|t| self.bytes[self.pos..].starts_with(t.name().as_bytes()))
            && let Some(op @ Operand::Transform { .. }) = self.operand()?
        {
            return Ok(Some(op));
        }
        self.pos = start;
        Ok(None)
    }

    fn value(&mut self) -> Result<String, ParseError> {
        if matches!(self.peek(), Some(b'"' | b'\'')) {
            return self.quoted();
        }
        let start = self.pos;
        while self.peek().is_some_and(is_bare) {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.error("expected a value"));
        }
        Ok(self.text[start..self.pos].to_owned())
    }

    fn list(&mut self) -> Result<Vec<String>, ParseError> {
        self.pos += 1; // '('
        let mut items = Vec::new();
        self.blank();
        if self.peek() == Some(b')') {
            self.pos += 1;
            return Ok(items);
        }
        loop {
            self.blank();
            items.push(self.value()?);
            self.blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {
                    self.pos += 1;
                    return Ok(items);
                }
                _ => return Err(self.error("expected ',' or ')' in the list")),
            }
        }
    }

    fn quoted(&mut self) -> Result<String, ParseError> {
        let quote = self.bytes[self.pos];
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.text[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e)) => match e {
                        '"' | '\'' | '\\' => out.push(e),
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        other => {
                            out.push('\\');
                            out.push(other);
                        }
                    },
                    None => break,
                },
                c if c as u32 == u32::from(quote) => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                c => out.push(c),
            }
        }
        self.pos = self.bytes.len();
        Err(self.error("unterminated quoted string"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Operand {
        Operand::Field {
            name: name.to_owned(),
            arg: None,
        }
    }

    fn check(name: &str, op: Op, rhs: Rhs) -> Expr {
        Expr::Check(Check {
            lhs: field(name),
            op,
            rhs,
        })
    }

    #[test]
    fn precedence_and_bare_values() {
        let e = parse_condition("a.b=x or not c.d startswith /etc/ and m").unwrap();
        assert_eq!(
            e,
            Expr::Or(vec![
                check("a.b", Op::Eq, Rhs::Value("x".into())),
                Expr::And(vec![
                    Expr::Not(Box::new(check(
                        "c.d",
                        Op::StartsWith,
                        Rhs::Value("/etc/".into())
                    ))),
                    Expr::Macro("m".into()),
                ]),
            ])
        );
    }

    #[test]
    fn lists_args_transformers_and_val() {
        let e = parse_condition("proc.aname[2] in (a, \"b c\", d) and not(fd.num>=0)").unwrap();
        let Expr::And(items) = e else { panic!() };
        assert_eq!(
            items[0],
            Expr::Check(Check {
                lhs: Operand::Field {
                    name: "proc.aname".into(),
                    arg: Some("2".into())
                },
                op: Op::In,
                rhs: Rhs::List(vec!["a".into(), "b c".into(), "d".into()]),
            })
        );
        assert_eq!(
            items[1],
            Expr::Not(Box::new(check("fd.num", Op::Ge, Rhs::Value("0".into()))))
        );
        let e = parse_condition("tolower(proc.name) = val(proc.pname)").unwrap();
        assert_eq!(
            e,
            Expr::Check(Check {
                lhs: Operand::Transform {
                    kind: Transformer::ToLower,
                    arg: Box::new(field("proc.name"))
                },
                op: Op::Eq,
                rhs: Rhs::Operand(field("proc.pname")),
            })
        );
        let e = parse_condition("jevt.value[/requestObject/spec] exists").unwrap();
        assert!(matches!(e, Expr::Check(Check { op: Op::Exists, .. })));
        let e = parse_condition("evt.arg.flags contains O_TRUNC").unwrap();
        assert_eq!(
            e,
            check("evt.arg.flags", Op::Contains, Rhs::Value("O_TRUNC".into()))
        );
        let e = parse_condition("proc.name startswith oneof (a, b)").unwrap();
        assert!(matches!(e, Expr::Or(ref v) if v.len() == 2));
    }

    #[test]
    fn errors_say_where() {
        let e = parse_condition("evt.type = execve execve").unwrap_err();
        assert_eq!(
            e.message,
            "unexpected token after 'execve', expecting 'or', 'and'"
        );
        assert!(parse_condition("(a.b = 1").is_err());
        assert!(parse_condition("a.b ~ 1").is_err());
        assert!(parse_condition("a.b = \"x").is_err());
        assert!(parse_condition("").is_err());
        let deep = format!("{}a.b=1{}", "(".repeat(500), ")".repeat(500));
        assert!(
            parse_condition(&deep)
                .unwrap_err()
                .message
                .contains("deeper")
        );
    }
}
