# syndicator in a container: build in a Rust image, run in a slim Debian with CA certificates
# (rustls verifies HTTPS feeds against the system roots), as the non-root UID:GID 10001:10001.
#   docker build -t syndicator .
#   docker run -d --name syndicator -p 8080:8080 --env-file ~/syndicator/env \
#     -v ~/blog:/site -v ~/syndicator:/config:ro -v syndicator-state:/state syndicator
# /config/syndicator.toml is config/docker.toml edited (listen 0.0.0.0:8080, site /site, store
# /state). The site must be writable by UID 10001, or run with --user "$(id -u):$(id -g)" and
# a bind-mounted, writable /state (see the README, "Docker"). Secrets come from --env-file.

FROM rust:1-bookworm AS builder
WORKDIR /src
# Dependencies first, in their own layer: built against a placeholder crate, so a source
# change rebuilds only syndicator itself.
COPY Cargo.toml Cargo.lock ./
COPY benches benches
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
 && cargo build --release --locked \
 && rm -rf src
COPY src src
COPY config config
# COPY keeps the files' times: touch them so cargo rebuilds over the placeholder.
RUN touch src/main.rs src/lib.rs && cargo build --release --locked

FROM debian:bookworm-slim
# The user's ids are pinned (10001:10001) so that bind mounts can be prepared for them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 syndicator \
 && useradd --uid 10001 --gid 10001 --home-dir /state --no-create-home --shell /usr/sbin/nologin syndicator \
 && mkdir -p /state /config /site && chown 10001:10001 /state
COPY --from=builder /src/target/release/syndicator /usr/local/bin/syndicator
COPY config/docker.toml /config/syndicator.toml
USER 10001:10001
WORKDIR /state
VOLUME ["/state"]
EXPOSE 8080
ENV SYNDICATOR_CONFIG=/config/syndicator.toml
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["syndicator", "healthcheck"]
ENTRYPOINT ["syndicator"]
CMD ["serve"]
