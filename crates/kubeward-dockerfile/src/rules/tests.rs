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

/// (line, message) of each parse error.
fn errors(text: &str) -> Vec<(Option<u32>, String)> {
    lint("Dockerfile", text, true, rules::ALL)
        .errors
        .iter()
        .map(|d| (d.line, d.message.clone()))
        .collect()
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let plain = "FROM ubuntu:latest\nRUN curl -fsSL https://x.example/i | sh\n";
    let bom = format!("\u{feff}{plain}");
    assert_eq!(ids(&bom, true), ids(plain, true));
    assert!(ids(&bom, true).contains(&"KW701"));
    assert!(errors(&bom).is_empty());
}

#[test]
fn what_buildkit_refuses_is_an_error_with_its_line() {
    let e = errors("FROM alpine:3.19\nUSR root\nUSER 1000\n");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, Some(2));
    assert!(e[0].1.contains("unknown instruction `USR`"), "{e:?}");
    let e = errors("RUN echo hi\nFOO bar\nFROM alpine:3.19\nUSER 1000\n");
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(e[0].0, Some(1));
    assert!(e[0].1.contains("RUN before the first FROM"), "{e:?}");
    assert_eq!(e[1].0, Some(2));
    for empty in ["", "\n# only a comment\n\n"] {
        let e = errors(empty);
        assert_eq!(e.len(), 1, "{empty:?}: {e:?}");
        assert!(e[0].1.contains("no instructions"), "{e:?}");
    }
    let e = errors("ARG X=1\n");
    assert!(e[0].1.contains("no FROM"), "{e:?}");
    // A backslash continuation where the escape is a backtick: the next
    // line is no instruction, and says why.
    let e = errors(
        "# escape=`\nFROM alpine:3.19\nRUN apk add --no-cache curl=1 \\\n  && chmod 777 /x\nUSER 1000\n",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, Some(4));
    assert!(e[0].1.contains("unknown instruction `&&`"), "{e:?}");
    assert!(e[0].1.contains("escape character is ``"), "{e:?}");
}

#[test]
fn build_tools_are_seen_through_from_stage() {
    let inherit = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3 make=4.3-4.1 && rm -rf /var/lib/apt/lists/*\nFROM build\nUSER 1000\nCMD [\"app\"]\n";
    assert!(ids(inherit, true).contains(&"KW708"));
    let copied = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3 && rm -rf /var/lib/apt/lists/*\nFROM debian:12\nCOPY --from=build /out /out\nUSER 1000\n";
    assert!(!ids(copied, true).contains(&"KW708"));
}

#[test]
fn sticky_world_writable_modes_pass() {
    for mode in ["1777", "01777", "a+rwxt"] {
        let text = format!("FROM alpine:3.19\nRUN chmod {mode} /scratch\nUSER 1000\n");
        assert!(!ids(&text, true).contains(&"KW710"), "{mode}");
    }
    for mode in ["777", "0777", "0666", "o+w"] {
        let text = format!("FROM alpine:3.19\nRUN chmod {mode} /scratch\nUSER 1000\n");
        assert!(ids(&text, true).contains(&"KW710"), "{mode}");
    }
    assert!(ids("FROM alpine:3.19\nUSER 00\n", true).contains(&"KW701"));
}
