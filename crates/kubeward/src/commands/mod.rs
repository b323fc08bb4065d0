//! One module per sub-command.

pub(crate) mod etcd;
pub(crate) mod host;
pub(crate) mod node;
pub(crate) mod pki;
pub(crate) mod pss;
pub(crate) mod rules;
pub(crate) mod scan;
pub(crate) mod serve;
