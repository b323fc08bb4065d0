//! One module per sub-command.

pub(crate) mod alerts;
pub(crate) mod db;
pub(crate) mod dockerfile;
pub(crate) mod etcd;
pub(crate) mod falco_rules;
pub(crate) mod host;
pub(crate) mod image;
pub(crate) mod node;
pub(crate) mod pki;
pub(crate) mod pss;
pub(crate) mod rules;
pub(crate) mod scan;
pub(crate) mod seccomp;
pub(crate) mod serve;
pub(crate) mod trace;
pub(crate) mod watch;
