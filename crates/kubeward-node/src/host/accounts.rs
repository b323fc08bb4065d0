//! Local accounts (`/etc/passwd`, `/etc/shadow`) and sudo rules
//! (`/etc/sudoers` with `#includedir`/`@includedir` and `#include`).

use crate::root::{Root, Unreadable, join};

/// An account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub shell: String,
    pub line: u32,
    /// The password field of `/etc/shadow`: `None` when the account has no
    /// shadow entry.
    pub password: Option<String>,
}

impl Account {
    /// Whether the shell lets the account log in interactively.
    pub fn has_login_shell(&self) -> bool {
        !(self.shell.is_empty()
            || self.shell.ends_with("/nologin")
            || self.shell.ends_with("/false")
            || self.shell == "/bin/sync"
            || self.shell.ends_with("/halt")
            || self.shell.ends_with("/shutdown"))
    }

    /// Whether the password field is empty: login without a password.
    pub fn empty_password(&self) -> bool {
        self.password.as_deref() == Some("")
    }
}

/// The accounts, and the account files that exist but could not be read.
#[derive(Clone, Debug, Default)]
pub struct Accounts {
    pub list: Vec<Account>,
    pub passwd_unreadable: Option<Unreadable>,
    /// When set, no account's `password` comes from `/etc/shadow`.
    pub shadow_unreadable: Option<Unreadable>,
}

/// Every account, with its shadow password field.
pub(super) fn accounts(root: &Root) -> Accounts {
    let (passwd, passwd_unreadable) = read_or_note(root, "/etc/passwd");
    let (shadow, shadow_unreadable) = read_or_note(root, "/etc/shadow");
    let password_of = |name: &str| {
        shadow.lines().find_map(|l| {
            let mut f = l.split(':');
            (f.next() == Some(name)).then(|| f.next().unwrap_or("").to_owned())
        })
    };
    let list = passwd
        .lines()
        .zip(1u32..)
        .filter_map(|(l, n)| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 || l.starts_with('#') {
                return None;
            }
            let password = if f[1] == "x" {
                password_of(f[0])
            } else {
                Some(f[1].to_owned())
            };
            Some(Account {
                name: f[0].to_owned(),
                uid: f[2].parse().ok()?,
                shell: f[6].to_owned(),
                line: n,
                password,
            })
        })
        .collect();
    Accounts {
        list,
        passwd_unreadable,
        shadow_unreadable,
    }
}

/// A file's text (empty when absent), or why it could not be read.
fn read_or_note(root: &Root, file: &str) -> (String, Option<Unreadable>) {
    match root.read_existing(file) {
        Ok(text) => (text.unwrap_or_default(), None),
        Err(e) => (String::new(), Some(e)),
    }
}

/// One sudo rule line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SudoRule {
    pub who: String,
    pub text: String,
    pub file: String,
    pub line: u32,
}

/// Deepest include nesting followed.
const MAX_INCLUDE_DEPTH: usize = 8;

/// The user rules of the sudo configuration, includes followed, and the
/// files or directories that exist but could not be read.
#[derive(Clone, Debug, Default)]
pub struct SudoRules {
    pub rules: Vec<SudoRule>,
    pub unreadable: Vec<Unreadable>,
}

/// Every user rule of the sudo configuration, includes followed.
pub(super) fn sudo_rules(root: &Root) -> SudoRules {
    let mut out = SudoRules::default();
    read_sudoers(root, "/etc/sudoers", 0, &mut out);
    out
}

fn read_sudoers(root: &Root, file: &str, depth: usize, out: &mut SudoRules) {
    if depth > MAX_INCLUDE_DEPTH {
        return;
    }
    let text = match root.read_existing(file) {
        Ok(Some(text)) => text,
        Ok(None) => return,
        Err(e) => return out.unreadable.push(e),
    };
    let dir = file.rsplit_once('/').map_or("/", |(d, _)| d);
    let mut pending = String::new();
    let mut start = 1;
    for (raw, n) in text.lines().zip(1u32..) {
        if pending.is_empty() {
            start = n;
        }
        if let Some(head) = raw.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(raw);
        let line = std::mem::take(&mut pending);
        let line = line.trim();
        let directive = |name: &str| {
            line.strip_prefix('#')
                .or_else(|| line.strip_prefix('@'))
                .and_then(|l| l.strip_prefix(name))
                .filter(|rest| rest.starts_with(char::is_whitespace))
                .map(|rest| rest.trim().trim_matches('"').to_owned())
        };
        if let Some(d) = directive("includedir") {
            let d = if d.starts_with('/') { d } else { join(dir, &d) };
            // sudo skips names with a dot or ending in ~ (editor backups).
            let names = root.list_existing(&d).unwrap_or_else(|e| {
                out.unreadable.push(e);
                Vec::new()
            });
            for name in names {
                if !name.contains('.') && !name.ends_with('~') {
                    read_sudoers(root, &join(&d, &name), depth + 1, out);
                }
            }
            continue;
        }
        if let Some(f) = directive("include") {
            let f = if f.starts_with('/') { f } else { join(dir, &f) };
            read_sudoers(root, &f, depth + 1, out);
            continue;
        }
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty()
            || line.starts_with('#')
            || [
                "Defaults",
                "User_Alias",
                "Runas_Alias",
                "Host_Alias",
                "Cmnd_Alias",
                "Cmd_Alias",
            ]
            .iter()
            .any(|k| line.starts_with(k))
        {
            continue;
        }
        let Some((who, _)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        out.rules.push(SudoRule {
            who: who.to_owned(),
            text: line.to_owned(),
            file: file.to_owned(),
            line: start,
        });
    }
}
