//! One module per sub-command.

pub(crate) mod db;
pub(crate) mod dockerfile;
pub(crate) mod image;
pub(crate) mod pss;
pub(crate) mod rules;
pub(crate) mod scan;
pub(crate) mod serve;
