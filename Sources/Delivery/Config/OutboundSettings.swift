/// How outbound calls are delivered: defaults for every endpoint, the retry schedule, the circuit breaker, the claim
/// lease, and the named endpoints. Loaded under the `outbound` key of the config file (see
/// `Config/gateway.example.json`); all times are in milliseconds here and written as durations (`5s`, `2m`) there.
public struct OutboundSettings: Sendable, Equatable {
    public var connectTimeoutMilliseconds = 5_000
    public var totalTimeoutMilliseconds = 15_000
    /// Deliveries in flight at once per endpoint, unless the endpoint says otherwise.
    public var maxConcurrency = 64
    /// Requests started per second per endpoint, unless the endpoint says otherwise; 0 = unlimited.
    public var ratePerSecond = 0
    /// Upper bounds of the full-jitter delay after attempt 1, 2, ...; attempts past the end reuse the last entry.
    public var retryScheduleMilliseconds = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000,
                                            21_600_000]
    /// Attempts (the first send included) before a retryable failure is dead-lettered as exhausted.
    public var maxAttempts = 12
    /// The retry horizon by age: a call still not delivered this long after it was first due (enqueued, or its
    /// not-before time) is dead-lettered as `exhausted` (error class `expired`) by the dispatcher's sweep without
    /// another attempt, whatever its attempt count or the circuit breaker — so a queue behind a dead endpoint drains
    /// into the dead letters in about this long, not after every row has used up ``maxAttempts`` one cool-down at a
    /// time.
    public var maxRetryAgeMilliseconds = 86_400_000
    /// A receiver's `Retry-After` is honoured up to this long.
    public var maxRetryAfterMilliseconds = 21_600_000
    /// Consecutive failed attempts that open an endpoint's circuit breaker; 0 = no breaker.
    public var breakerFailureThreshold = 5
    /// How long an open breaker waits before letting one probe through.
    public var breakerCoolDownMilliseconds = 30_000
    /// How long a claimed delivery belongs to the dispatcher that claimed it; after that (the dispatcher died) any
    /// dispatcher may send it again. Must exceed every endpoint's total timeout.
    public var leaseMilliseconds = 60_000
    /// Longest sleep of an idle dispatcher: bounds how late it notices rows written by another process (the CLI).
    public var pollIntervalMilliseconds = 1_000
    /// Most rows claimed in one write.
    public var claimBatchSize = 256
    /// Delivered rows are kept this long so a repeated idempotency key is still recognised, then purged.
    public var deliveredRetentionMilliseconds = 86_400_000
    /// Standard Webhooks secret (`whsec_…`) for endpoints without their own; nil = no `webhook-signature` header.
    public var signingSecret: String?
    /// Per-endpoint settings by name; built-in names are tuned here too, their URLs set by their own keys
    /// (``BuiltInEndpoint/urlSetting``).
    public var endpoints: [EndpointName: OutboundEndpointSettings] = [
        BuiltInEndpoint.whatsapp.name: OutboundEndpointSettings(ratePerSecond: 80),
        BuiltInEndpoint.events.name: OutboundEndpointSettings(),
    ]

    public init() {}

    /// The URL of a built-in endpoint (WhatsApp's is in the `whatsapp` section, not here); nil = none configured.
    public subscript(url endpoint: BuiltInEndpoint) -> String? {
        get { endpoints[endpoint.name]?.url }
        set {
            guard newValue != nil || endpoints[endpoint.name] != nil else { return }
            endpoints[endpoint.name, default: OutboundEndpointSettings()].url = newValue
        }
    }

    /// The retry horizon of `endpoint`: its own `max_retry_age`, else the default.
    public func maxRetryAgeMilliseconds(for endpoint: EndpointName) -> Int {
        endpoints[endpoint]?.maxRetryAgeMilliseconds ?? maxRetryAgeMilliseconds
    }
}

/// Settings of one named outbound endpoint; nil fields fall back to the ``OutboundSettings`` defaults.
public struct OutboundEndpointSettings: Sendable, Equatable {
    public var url: String?
    /// Standard Webhooks secret (`whsec_…`) used to sign this endpoint's requests.
    public var signingSecret: String?
    /// Sent as `Authorization: Bearer …`; never stored in the outbox.
    public var bearerToken: String?
    public var connectTimeoutMilliseconds: Int?
    public var totalTimeoutMilliseconds: Int?
    public var maxConcurrency: Int?
    public var ratePerSecond: Int?
    /// This endpoint's retry horizon by age (see ``OutboundSettings/maxRetryAgeMilliseconds``).
    public var maxRetryAgeMilliseconds: Int?

    public init(url: String? = nil, signingSecret: String? = nil, bearerToken: String? = nil,
                connectTimeoutMilliseconds: Int? = nil, totalTimeoutMilliseconds: Int? = nil,
                maxConcurrency: Int? = nil, ratePerSecond: Int? = nil, maxRetryAgeMilliseconds: Int? = nil) {
        self.url = url
        self.signingSecret = signingSecret
        self.bearerToken = bearerToken
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.totalTimeoutMilliseconds = totalTimeoutMilliseconds
        self.maxConcurrency = maxConcurrency
        self.ratePerSecond = ratePerSecond
        self.maxRetryAgeMilliseconds = maxRetryAgeMilliseconds
    }
}
