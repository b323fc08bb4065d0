//! Maven versions, ordered as Maven's `ComparableVersion` orders them (the
//! "Version Order Specification" of the POM reference):
//!
//! - a version is split into items at `.`, at `-`, and where digits meet
//!   letters; a `-` (and a digit/letter transition) starts a nested list;
//! - numbers compare numerically; qualifiers in the order `alpha` (`a`) <
//!   `beta` (`b`) < `milestone` (`m`) < `rc` (`cr`) < `snapshot` < release
//!   (`""`, `final`, `ga`, `release`) < `sp`, then any other qualifier,
//!   case-insensitively and alphabetically;
//! - trailing "null" items (`0`, release qualifiers, empty lists) are dropped,
//!   so `1.0.0` = `1` = `1-ga`;
//! - a number sorts after a qualifier and after a list; a list after a
//!   qualifier.

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Number(Vec<u8>),
    Qualifier(String),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: usize = 5;

impl Item {
    fn number(digits: &str) -> Item {
        let trimmed = digits.trim_start_matches('0');
        Item::Number(trimmed.as_bytes().to_vec())
    }

    fn qualifier(s: &str, followed_by_digit: bool) -> Item {
        let s = if followed_by_digit && s.len() == 1 {
            match s {
                "a" => "alpha",
                "b" => "beta",
                "m" => "milestone",
                other => other,
            }
        } else {
            s
        };
        let s = match s {
            "ga" | "final" | "release" => "",
            "cr" => "rc",
            other => other,
        };
        Item::Qualifier(s.to_owned())
    }

    fn is_null(&self) -> bool {
        match self {
            Item::Number(d) => d.is_empty(),
            Item::Qualifier(q) => q.is_empty(),
            Item::List(l) => l.is_empty(),
        }
    }

    /// The order key of a qualifier: known ones by rank, others after them.
    fn qualifier_rank(q: &str) -> (usize, &str) {
        match QUALIFIERS.iter().position(|k| *k == q) {
            Some(i) => (i, ""),
            None => (QUALIFIERS.len(), q),
        }
    }

    /// Compares with `other`, where `None` stands for a missing item.
    fn cmp_to(&self, other: Option<&Item>) -> Ordering {
        match (self, other) {
            (Item::Number(d), None) => {
                if d.is_empty() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            (Item::Number(a), Some(Item::Number(b))) => a.len().cmp(&b.len()).then(a.cmp(b)),
            (Item::Number(_), Some(_)) => Ordering::Greater,
            (Item::Qualifier(q), None) => Self::qualifier_rank(q).cmp(&(RELEASE_INDEX, "")),
            (Item::Qualifier(_), Some(Item::Number(_) | Item::List(_))) => Ordering::Less,
            (Item::Qualifier(a), Some(Item::Qualifier(b))) => {
                Self::qualifier_rank(a).cmp(&Self::qualifier_rank(b))
            }
            (Item::List(l), None) => l.first().map_or(Ordering::Equal, |i| i.cmp_to(None)),
            (Item::List(_), Some(Item::Number(_))) => Ordering::Less,
            (Item::List(_), Some(Item::Qualifier(_))) => Ordering::Greater,
            (Item::List(a), Some(Item::List(b))) => {
                for i in 0..a.len().max(b.len()) {
                    let ord = match (a.get(i), b.get(i)) {
                        (Some(x), y) => x.cmp_to(y),
                        (None, Some(y)) => y.cmp_to(None).reverse(),
                        (None, None) => Ordering::Equal,
                    };
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                Ordering::Equal
            }
        }
    }
}

/// Drops trailing null items, looking past nested lists (so that `1-ga-1`
/// becomes `1-1`) but stopping at any other non-null item.
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// A qualifier after a `.` starts a list as if a `-` preceded it, so that
/// `1.foo` = `1-foo`.
fn open_for_qualifier(stack: &mut Vec<Vec<Item>>, item: &Item) {
    if matches!(item, Item::Qualifier(_)) && stack.last().is_some_and(|top| !top.is_empty()) {
        stack.push(Vec::new());
    }
}

/// Parses a version into its nested item list.
fn parse(version: &str) -> Vec<Item> {
    let version = version.trim().to_lowercase();
    // The stack of open lists; items are appended to the last one.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let mut start = 0;
    let mut in_digits = false;
    let chars: Vec<(usize, char)> = version.char_indices().collect();
    let push = |stack: &mut Vec<Vec<Item>>, item: Item| {
        if let Some(top) = stack.last_mut() {
            top.push(item);
        }
    };
    let piece = |from: usize, to: usize, digits: bool, followed_by_digit: bool| {
        let s = &version[from..to];
        if digits {
            Item::number(s)
        } else {
            Item::qualifier(s, followed_by_digit)
        }
    };
    for &(i, c) in &chars {
        match c {
            '.' | '-' => {
                let item = if i == start {
                    Item::Number(Vec::new())
                } else {
                    piece(start, i, in_digits, false)
                };
                open_for_qualifier(&mut stack, &item);
                push(&mut stack, item);
                start = i + 1;
                if c == '-' {
                    stack.push(Vec::new());
                }
            }
            c if c.is_ascii_digit() => {
                if !in_digits && i > start {
                    push(&mut stack, piece(start, i, false, true));
                    start = i;
                    stack.push(Vec::new());
                }
                in_digits = true;
            }
            _ => {
                if in_digits && i > start {
                    push(&mut stack, piece(start, i, true, false));
                    start = i;
                    stack.push(Vec::new());
                }
                in_digits = false;
            }
        }
    }
    if version.len() > start {
        let item = piece(start, version.len(), in_digits, false);
        open_for_qualifier(&mut stack, &item);
        push(&mut stack, item);
    }
    // Close the nested lists from the innermost out, normalising each.
    while stack.len() > 1 {
        let mut list = stack.pop().unwrap_or_default();
        normalize(&mut list);
        push(&mut stack, Item::List(list));
    }
    let mut root = stack.pop().unwrap_or_default();
    normalize(&mut root);
    root
}

pub fn compare(a: &str, b: &str) -> Ordering {
    Item::List(parse(a)).cmp_to(Some(&Item::List(parse(b))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pom_reference_examples() {
        let lt = |a, b| assert_eq!(compare(a, b), Ordering::Less, "{a} < {b}");
        let eq = |a, b| assert_eq!(compare(a, b), Ordering::Equal, "{a} = {b}");
        lt("1", "1.1");
        lt("1-snapshot", "1");
        lt("1", "1-sp");
        lt("1-foo2", "1-foo10");
        eq("1.foo", "1-foo");
        lt("1-foo", "1-1");
        lt("1-1", "1.1");
        eq("1.ga", "1-ga");
        eq("1-ga", "1-0");
        eq("1-0", "1.0");
        eq("1.0", "1");
        lt("1-ga", "1-sp");
        lt("1-ga.1", "1-sp.1");
        lt("1-sp-1", "1-ga-1");
        eq("1-a1", "1-alpha-1");
        lt("1.0-alpha1", "1.0-beta1");
        lt("1.0-rc1", "1.0");
        eq("1.0-cr1", "1.0-rc1");
        lt("1.0-SNAPSHOT", "1.0");
        lt("2.9.10.7", "2.9.10.8");
        lt("2.12.7", "2.12.7.1");
        eq("1.0.0.Final", "1.0.0");
        lt("1.0", "1.0-xyz");
    }
}
