# kubeward as a minimal, static, non-root image: the binary alone on scratch.
# Build: docker build -t kubeward:0.1.0 .

# Stage 1: a static (musl) release build.
FROM rust:1.95.0-slim-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools=1.2.3-1 \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY .cargo .cargo
COPY crates crates
COPY xtask xtask
RUN cargo build --release --locked --target x86_64-unknown-linux-musl -p kubeward \
 && install -D -m 0755 target/x86_64-unknown-linux-musl/release/kubeward /out/kubeward

# Stage 2: nothing but the binary; no shell, no package manager.
FROM scratch
COPY --from=build /out/kubeward /kubeward
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/kubeward"]
CMD ["serve", "--listen", "0.0.0.0:8443", "--config", "/etc/kubeward/kubeward.toml"]
