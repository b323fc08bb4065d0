//! Each rule on a Dockerfile that breaks it and on one that does not.

use crate::{lint, rules};

fn ids(text: &str, dockerignore: bool) -> Vec<&'static str> {
    let r = lint("Dockerfile", text, dockerignore, rules::ALL);
    r.findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| f.rule.id)
        .collect()
}

#[test]
fn insecure_file_fires_every_rule() {
    let text = "\
ARG GITHUB_TOKEN
FROM ubuntu
ENV DB_PASSWORD=hunter2hunter2
ADD https://example.com/tool.tar.gz /opt/
RUN curl -fsSL https://example.com/install.sh | sh
RUN apt-get update && apt-get install -y gcc curl
RUN sudo chmod 777 /data
COPY . .
USER root
";
    let mut found = ids(text, false);
    found.sort_unstable();
    found.dedup();
    assert_eq!(
        found,
        [
            "KW701", "KW702", "KW703", "KW704", "KW705", "KW706", "KW707", "KW708", "KW709",
            "KW710", "KW711", "KW712"
        ]
    );
}

#[test]
fn hardened_file_is_clean() {
    let text = "\
# syntax=docker/dockerfile:1
ARG GO=1.22
FROM golang:${GO}-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends make=4.3-4.1 \\
 && rm -rf /var/lib/apt/lists/*
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/.cache go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static-debian12@sha256:0000000000000000000000000000000000000000000000000000000000000000
COPY --from=build /out/app /app
USER 10001:10001
HEALTHCHECK NONE
ENTRYPOINT [\"/app\"]
";
    assert_eq!(ids(text, true), Vec::<&str>::new());
}

#[test]
fn suppression_comments() {
    let text = "FROM debian:12\n# kubeward:ignore KW709: legacy base image needs it\nRUN sudo true\nUSER 1\nHEALTHCHECK NONE\n";
    let r = lint("Dockerfile", text, true, rules::ALL);
    let sudo = r.findings.iter().find(|f| f.rule.id == "KW709").unwrap();
    assert_eq!(
        sudo.suppressed.as_deref(),
        Some("legacy base image needs it")
    );
    let bad = lint(
        "Dockerfile",
        "# kubeward:ignore\nFROM debian:12\n",
        true,
        rules::ALL,
    );
    assert_eq!(bad.errors.len(), 1);
}

#[test]
fn user_inherited_from_an_earlier_stage() {
    let text = "FROM debian:12 AS base\nUSER 1000\nFROM base\nHEALTHCHECK NONE\n";
    assert!(!ids(text, true).contains(&"KW701"));
}

#[test]
fn build_tools_in_a_stage_the_final_one_is_built_from() {
    let text = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3 && rm -rf /var/lib/apt/lists/*\nFROM build\nUSER 1000\nHEALTHCHECK NONE\n";
    assert_eq!(ids(text, true), ["KW708"]);
    let copied_only = text.replace("FROM build", "FROM debian:12");
    assert_eq!(ids(&copied_only, true), Vec::<&str>::new());
}

#[test]
fn sticky_shared_directories_are_not_world_writable_files() {
    for mode in ["1777", "01777", "a+rwxt", "o+wt"] {
        let text =
            format!("FROM debian:12\nRUN chmod {mode} /shared\nUSER 1000\nHEALTHCHECK NONE\n");
        assert_eq!(ids(&text, true), Vec::<&str>::new(), "{mode}");
    }
    for mode in ["777", "0777", "0o+w", "a+w", "2777"] {
        let text =
            format!("FROM debian:12\nRUN chmod {mode} /shared\nUSER 1000\nHEALTHCHECK NONE\n");
        assert_eq!(ids(&text, true), ["KW710"], "{mode}");
    }
}
