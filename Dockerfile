# Build stage: the Swift toolchain plus the -dev packages of the five system libraries (see Package.swift providers).
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev libssl-dev libsqlite3-dev libmicrohttpd-dev libpq-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Adapters ./Adapters
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product gateway \
 && install -D "$(swift build -c release --show-bin-path)/gateway" /out/gateway

# Runtime stage: only the shared libraries the binary links (Tests/IngressTests/DockerfileTests checks this list).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4 libssl3 libsqlite3-0 libmicrohttpd12 libpq5 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/gateway --create-home gateway
COPY --from=build /out/gateway /usr/local/bin/gateway
COPY Config /etc/gateway
COPY Templates /usr/share/gateway/templates
COPY Console /usr/share/gateway/console
USER gateway
WORKDIR /var/lib/gateway
ENV GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8080 \
    GATEWAY_DB=/var/lib/gateway/data/gateway.sqlite \
    WHATSAPP_TEMPLATES_DIR=/usr/share/gateway/templates/whatsapp \
    CONSOLE_DIR=/usr/share/gateway/console \
    TICKET_CLASSIFICATION_FILE=/etc/gateway/ticket-classification.json
EXPOSE 8080
VOLUME ["/var/lib/gateway/data"]
# Plain HTTP, or HTTPS when GATEWAY_TLS_CERT/GATEWAY_TLS_KEY are set (the certificate names the public host, not
# 127.0.0.1, so this liveness probe does not verify it).
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${GATEWAY_PORT}/healthz" \
   || curl -fsSk "https://127.0.0.1:${GATEWAY_PORT}/healthz" || exit 1
ENTRYPOINT ["/usr/local/bin/gateway"]
CMD ["serve", "--config", "/etc/gateway/gateway.example.json"]
