// swift-tools-version:6.0
// The integration gateway: Foundation plus five system C libraries, no package dependencies.
import PackageDescription

/// The domain targets, bottom to top (each may import only those before it).
let domain: [Target.Dependency] = ["Access", "Identity", "CRM", "Messaging", "Conversations", "Retail", "Segments", "Campaigns", "Analytics"]
/// The adapters, one per outside system.
let adapters: [Target.Dependency] = [
    "WhatsAppAdapter", "StandardWebhooksAdapter", "OmnichannelAdapter", "ChatPanelAdapter", "POSAdapter",
]

/// The test support every domain, adapter and Ingress test target uses.
let testSupport: [Target.Dependency] = ["GatewayTestSupport", "GatewayTesting", "HTTPTesting"]

let package = Package(
    name: "gateway",
    products: [
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "gateway-bench", targets: ["gateway-bench"]),
    ],
    targets: [
        // System libraries (module maps + static-inline shims: variadic C APIs, enum constants, malloc statistics).
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd",
                       providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMalloc"),
        // Naming a thread where the OS shows it (glibc declares `pthread_setname_np` only for GNU sources).
        .systemLibrary(name: "CThreadName"),

        // Infrastructure: knows nothing about WhatsApp, deals or tickets.
        .target(name: "Crypto", dependencies: ["CCrypto"]),
        // SQLite's savepoint journals in one reused buffer per thread, and the write-ahead log's appends gathered until
        // it is synced (a VFS over the platform's default).
        .target(name: "CSQLiteJournal"),
        // SQLite's page cache without its whole-cache scan after B-tree balancing (a wrapper over its own).
        .target(name: "CSQLitePageCache"),
        .target(name: "Storage", dependencies: ["CSQLite", "CSQLiteJournal", "CSQLitePageCache", "CPostgres",
                                                "CThreadName"]),
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", "CThreadName"]),
        .target(name: "HTTPClient", dependencies: ["CCurl", "CThreadName"]),

        // Kit: what every feature uses and that knows no feature — JSON, field validation, metrics, the event log,
        // daily schedules and quiet hours, configuration primitives, the polling worker. Foundation (and the thread
        // name shim) only.
        .target(name: "GatewayKit", dependencies: ["CThreadName"]),

        // Delivery: the outbox, the dispatcher (libcurl multi, retries, circuit breakers, 410 kill switch) and the
        // dead letters. Knows endpoints by name, not what they are for.
        .target(name: "Delivery", dependencies: ["GatewayKit", "Crypto", "Storage", "HTTPClient"]),

        // The domain, one target per bounded context, each depending only on those below it.
        // Access: users, roles and scopes, API tokens, console sessions, the audit log.
        .target(name: "Access", dependencies: ["GatewayKit", "Delivery", "Crypto", "Storage"]),
        // Identity: customers, BSUIDs and phones, identity changes and their events, contacts.
        .target(name: "Identity", dependencies: ["GatewayKit", "Delivery", "Access", "Storage"]),
        // CRM: deal and ticket records from bots, agents and the API, rooms and their previews, the timeline.
        .target(name: "CRM", dependencies: ["GatewayKit", "Delivery", "Access", "Identity", "Crypto", "Storage",
                                            "HTTPClient"]),
        // Messaging: WhatsApp messages to customers through the outbox (texts, templates, lists, media), the service
        // window, delivery statuses.
        .target(name: "Messaging", dependencies: ["GatewayKit", "Delivery", "Access", "Identity", "Storage"]),
        // Conversations: WhatsApp conversation tickets, their workflow, SLA, replies, CSAT and the customers' media.
        .target(name: "Conversations", dependencies: ["GatewayKit", "Delivery", "Access", "Identity", "CRM",
                                                      "Messaging", "Storage", "Crypto"]),
        // Retail: POS outlets (imports, pulls, pushes), renewal reminders and replies, linking tickets to outlets.
        .target(name: "Retail", dependencies: ["GatewayKit", "Delivery", "Access", "Identity", "CRM", "Messaging",
                                               "Conversations", "Storage", "HTTPClient"]),

        // Segments: rule-defined customer segments over identity, records and conversations (through the views those
        // modules publish), their nightly and manual evaluation and membership.
        .target(name: "Segments", dependencies: ["GatewayKit", "Delivery", "Access", "Storage"]),
        // Campaigns: WhatsApp template campaigns to a segment's members, sent at their own pace, with each
        // recipient's outcome (delivered, read, replied) for the segments that filter on them.
        .target(name: "Campaigns", dependencies: ["GatewayKit", "Delivery", "Access", "Messaging", "Segments", "Storage"]),
        // Analytics: the support desk's figures (volume, response times, backlog, CSAT, outlets, renewals, leads) from
        // rollups it keeps up to date as tickets move, reading the other modules through the views they publish.
        .target(name: "Analytics", dependencies: ["GatewayKit", "Delivery", "Access", "CRM", "Storage"]),

        // The whole configuration: every section, key, environment variable and default, loaded and checked in one
        // place; each feature keeps its own settings type and is handed only that.
        .target(name: "Configuration", dependencies: ["GatewayKit", "Delivery"] + domain),

        // Adapters: one target per outside system, each translating its formats into the domain's events and commands
        // (and back); the domain never names them.
        .target(name: "WhatsAppAdapter", dependencies: ["GatewayKit", "Delivery", "Messaging", "Crypto", "HTTPClient"],
                path: "Adapters/WhatsApp"),
        .target(name: "StandardWebhooksAdapter", dependencies: ["GatewayKit", "CRM"],
                path: "Adapters/StandardWebhooks"),
        .target(name: "OmnichannelAdapter", dependencies: ["GatewayKit", "CRM"], path: "Adapters/Omnichannel"),
        .target(name: "ChatPanelAdapter", dependencies: ["GatewayKit", "CRM", "HTTPClient"],
                path: "Adapters/ChatPanel"),
        .target(name: "POSAdapter", dependencies: ["Retail", "HTTPClient"], path: "Adapters/POS"),

        // HTTP surface: routes, request handling, problem+json mapping; wires a running gateway.
        .target(name: "Ingress",
                dependencies: ["HTTPServer", "GatewayKit", "Delivery", "Configuration", "Crypto", "Storage", "CMalloc"]
                    + domain + adapters),

        // Test support as libraries. HTTPTesting: the stub HTTP server, a raw test socket, a manual clock.
        // GatewayTesting, XCTest-free and also used by gateway-bench: signed webhook requests, a sample inbound source,
        // WhatsApp fixtures, scratch stores, the outbound harness. GatewayTestSupport, for test targets only (XCTest):
        // TestGateway and its helpers, `eventually`, the stand-in Cloud API, shared test case classes.
        .target(name: "HTTPTesting", dependencies: ["HTTPServer"]),
        .target(name: "GatewayTesting",
                dependencies: ["Ingress", "Access", "GatewayKit", "Delivery", "Configuration", "Identity", "HTTPTesting",
                               "HTTPClient", "Crypto", "Storage", "WhatsAppAdapter"]),
        .target(name: "GatewayTestSupport",
                dependencies: ["GatewayTesting", "HTTPTesting", "Ingress", "GatewayKit", "Delivery", "Configuration",
                               "HTTPClient", "Storage", "POSAdapter", "WhatsAppAdapter"] + domain),

        .executableTarget(name: "gateway",
                          dependencies: ["Ingress", "GatewayKit", "Delivery", "Configuration"] + domain + adapters),
        .executableTarget(name: "gateway-bench",
                          dependencies: ["Ingress", "GatewayKit", "Delivery", "Configuration", "GatewayTesting",
                                         "HTTPTesting", "HTTPClient", "HTTPServer", "Storage", "Crypto", "CMalloc",
                                         "CThreadName"]
                              + domain + adapters),

        // Tests, one target per module. Most domain suites drive the whole gateway (TestGateway); each sits with the
        // module whose behaviour it checks, Ingress's with the HTTP surface, the app and the real binary.
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "HTTPTesting"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "HTTPTesting"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient"]),
        .testTarget(name: "GatewayKitTests", dependencies: ["GatewayKit"]),
        .testTarget(name: "DeliveryTests",
                    dependencies: ["Delivery", "GatewayKit", "Identity", "Configuration", "Ingress", "Storage",
                                   "HTTPServer", "HTTPClient"] + testSupport),
        .testTarget(name: "AccessTests",
                    dependencies: ["Access", "GatewayKit", "Delivery", "Configuration", "Ingress", "Storage",
                                   "HTTPServer", "HTTPClient"] + testSupport),
        .testTarget(name: "AnalyticsTests",
                    dependencies: ["Analytics", "Conversations", "Retail", "Access", "GatewayKit", "Delivery", "Configuration",
                                   "Ingress", "Storage", "HTTPClient"] + testSupport),
        .testTarget(name: "SegmentsTests",
                    dependencies: ["Segments", "Campaigns", "Conversations", "Access", "GatewayKit", "Delivery", "Configuration", "Ingress",
                                   "Storage", "HTTPClient"] + testSupport),
        .testTarget(name: "IdentityTests",
                    dependencies: ["Identity", "GatewayKit", "Delivery", "Configuration", "Ingress", "Storage",
                                   "HTTPServer", "HTTPClient"] + testSupport),
        .testTarget(name: "CRMTests",
                    dependencies: ["CRM", "GatewayKit", "Delivery", "Conversations", "Configuration", "Ingress",
                                   "Storage", "HTTPServer", "HTTPClient"] + testSupport),
        .testTarget(name: "MessagingTests",
                    dependencies: ["Messaging", "GatewayKit", "Delivery", "Retail", "Configuration", "WhatsAppAdapter",
                                   "Ingress", "Storage", "HTTPServer", "HTTPClient"] + testSupport),
        .testTarget(name: "ConversationsTests",
                    dependencies: ["Conversations", "CRM", "GatewayKit", "Delivery", "Configuration", "Ingress",
                                   "Storage", "HTTPClient", "HTTPServer", "Crypto", "Messaging"] + testSupport),
        .testTarget(name: "RetailTests",
                    dependencies: ["Retail", "GatewayKit", "Delivery", "Identity", "Messaging", "Configuration",
                                   "POSAdapter", "Ingress", "Storage", "HTTPServer", "HTTPClient"] + testSupport),
        .testTarget(name: "WhatsAppAdapterTests",
                    dependencies: ["WhatsAppAdapter", "GatewayKit", "Delivery"] + testSupport),
        .testTarget(name: "ConfigurationTests",
                    dependencies: ["Configuration", "GatewayKit", "Delivery", "CRM"] + testSupport),
        .testTarget(name: "POSAdapterTests", dependencies: ["POSAdapter", "Retail", "GatewayKit"]),
        .testTarget(name: "ChatPanelAdapterTests", dependencies: ["ChatPanelAdapter", "CRM", "Delivery", "HTTPClient"]),
        .testTarget(name: "OmnichannelAdapterTests", dependencies: ["OmnichannelAdapter", "CRM", "GatewayKit"]),
        .testTarget(name: "StandardWebhooksAdapterTests",
                    dependencies: ["StandardWebhooksAdapter", "CRM", "GatewayKit"]),
        .testTarget(name: "IngressTests",
                    dependencies: ["Ingress", "Access", "GatewayKit", "Delivery", "CRM", "Messaging", "Configuration",
                                   "WhatsAppAdapter", "Storage", "HTTPClient"] + testSupport),

        // The operator console in real headless Chromium (WebDriver), plus its serving rules over plain HTTP.
        .testTarget(name: "ConsoleTests",
                    dependencies: ["Ingress", "Access", "GatewayKit", "Delivery", "Configuration", "HTTPClient"]
                        + testSupport),

        // Fuzzing (RELIABILITY.md): one entry function per parser of outside input (GatewayFuzzing); gateway-fuzz
        // replays corpus files through them, or is a libFuzzer binary when built with -D FUZZING; FuzzTests replays
        // Fuzz/corpus and a deterministic mutation run of it on every `swift test`.
        .target(name: "GatewayFuzzing",
                dependencies: ["GatewayKit", "Delivery", "Crypto", "Retail", "Configuration", "WhatsAppAdapter",
                               "POSAdapter"],
                path: "Sources/Fuzz/GatewayFuzzing"),
        .executableTarget(name: "gateway-fuzz", dependencies: ["GatewayFuzzing"], path: "Sources/Fuzz/gateway-fuzz"),
        .testTarget(name: "FuzzTests", dependencies: ["GatewayFuzzing", "GatewayKit"]),
    ]
)

// A file sees the members (extension methods, initializers) of only the modules it imports itself, not of modules
// some other file of its target happens to import: each file states what it depends on.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
