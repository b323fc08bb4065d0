//! What a Dockerfile rule is and what it sees.

use kubeward_core::RuleMeta;

use crate::parse::{Dockerfile, Form, Instruction};

/// Declares a rule: its doc comment becomes its documentation.
macro_rules! rule {
    ($(#[doc = $doc:literal])+ static $name:ident = { $($body:tt)* };) => {
        kubeward_core::declare_rule! {
            $(#[doc = $doc])+ static $name: $crate::rule::Rule = { $($body)* };
        }
    };
}

/// A rule: metadata and check.
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Lint<'_>, &mut Vec<Hit>),
}

/// What rules read.
#[derive(Debug)]
pub struct Lint<'a> {
    pub df: &'a Dockerfile,
    pub has_dockerignore: bool,
}

/// A rule firing on one instruction.
#[derive(Debug)]
pub struct Hit {
    /// Index into the instructions.
    pub instruction: usize,
    /// `stages[1].RUN` …
    pub path: String,
    pub message: String,
}

impl Lint<'_> {
    /// Instructions with their indexes, of one keyword.
    pub fn each<'s>(
        &'s self,
        keyword: &'s str,
    ) -> impl Iterator<Item = (usize, &'s Instruction)> + 's {
        self.df
            .instructions
            .iter()
            .enumerate()
            .filter(move |(_, i)| i.keyword == keyword)
    }

    /// The index of the final stage, if there is a stage.
    pub fn final_stage(&self) -> Option<usize> {
        self.df.stages.len().checked_sub(1)
    }

    /// The stage a stage is built `FROM`, when that names an earlier stage
    /// (it inherits that stage's files and settings).
    pub fn parent_stage(&self, stage: usize) -> Option<usize> {
        self.df.stages[stage].parent
    }

    /// A stage and the stages it is built on, nearest first. Parents are
    /// always earlier stages, so the chain ends.
    pub fn lineage(&self, stage: usize) -> Vec<usize> {
        std::iter::successors(Some(stage), |&s| self.parent_stage(s)).collect()
    }

    /// A hit on instruction `i`.
    pub fn hit(&self, i: usize, message: String) -> Hit {
        let ins = &self.df.instructions[i];
        let path = match ins.stage {
            Some(s) => format!("stages[{s}].{}", ins.keyword),
            None => ins.keyword.clone(),
        };
        Hit {
            instruction: i,
            path,
            message,
        }
    }

    /// The shell text of a RUN (JSON forms joined, heredocs included).
    pub fn run_text(ins: &Instruction) -> String {
        match &ins.form {
            Form::Json(v)
                if v.len() >= 3
                    && (v[0].ends_with("sh") || v[0].ends_with("bash"))
                    && v[1] == "-c" =>
            {
                v[2..].join(" ")
            }
            _ => ins.text(),
        }
    }
}
