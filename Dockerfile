# A first cut: build in a Rust image, run in a slim Debian with CA certificates (rustls
# verifies HTTPS feeds against the system roots).
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
ENV SYNDICATOR_CONFIG=/config/syndicator.toml
ENTRYPOINT ["syndicator"]
CMD ["sync"]
