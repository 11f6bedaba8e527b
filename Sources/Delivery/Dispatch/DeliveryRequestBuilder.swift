import HTTPClient

/// Turns a claimed outbox row into the HTTP request for one attempt: the endpoint's URL plus the row's path, the
/// row's headers, Standard Webhooks headers (`webhook-id` = idempotency key on every attempt, so receivers dedupe;
/// `webhook-timestamp` = this attempt; `webhook-signature` when the endpoint has a secret), the `traceparent` of the
/// request that caused the call, and the endpoint's bearer token. Credentials come from configuration here and are
/// never stored in the outbox.
enum DeliveryRequestBuilder {
    static func request(for record: OutboxRecord, to endpoint: OutboundEndpoint, baseURL: String,
                        nowSeconds: Int64) -> ClientRequest {
        let timestamp = String(nowSeconds)
        var headers = record.headers
        if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        headers.append((StandardWebhookVerifier.idHeader, record.idempotencyKey))
        headers.append((StandardWebhookVerifier.timestampHeader, timestamp))
        if let secret = endpoint.signingSecret {
            headers.append((StandardWebhookVerifier.signatureHeader,
                            StandardWebhookVerifier.sign(id: record.idempotencyKey, timestamp: timestamp,
                                                         body: record.body, secret: secret)))
        }
        if let traceparent = record.traceparent { headers.append(("traceparent", traceparent)) }
        if let token = endpoint.bearerToken { headers.append(("Authorization", "Bearer \(token)")) }
        return ClientRequest(method: record.method, url: join(baseURL, record.path), headers: headers,
                             body: record.body,
                             connectTimeout: Double(endpoint.connectTimeoutMilliseconds) / 1000,
                             totalTimeout: Double(endpoint.totalTimeoutMilliseconds) / 1000)
    }

    /// `base` + `path` with exactly one slash between them when both have one.
    static func join(_ base: String, _ path: String) -> String {
        guard !path.isEmpty else { return base }
        return base.hasSuffix("/") ? String(base.dropLast()) + path : base + path
    }
}
