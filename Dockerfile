# syndicator in a container: build in a Rust image, run in a slim Debian with CA certificates
# (rustls verifies HTTPS feeds against the system roots), as a non-root user.
#   docker build -t syndicator .
#   docker run -v $PWD/config:/config:ro -v syndicator-state:/state -p 8080:8080 syndicator
# The config must listen on all interfaces inside the container: [server] listen = "0.0.0.0:8080".
FROM rust:1-bookworm AS builder
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /state --shell /usr/sbin/nologin syndicator \
 && mkdir -p /state /config && chown syndicator /state
COPY --from=builder /src/target/release/syndicator /usr/local/bin/syndicator
USER syndicator
WORKDIR /state
VOLUME ["/state"]
EXPOSE 8080
ENV SYNDICATOR_CONFIG=/config/syndicator.toml
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["syndicator", "healthcheck"]
ENTRYPOINT ["syndicator"]
CMD ["serve"]
