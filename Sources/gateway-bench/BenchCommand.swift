import Foundation

/// `gateway-bench <inbound|apply|outbound|deals|identity|pos|tickets|access|segments|analytics|media|export|soak|chaos-load> [options]`.
enum BenchCommand {
    static let usage = """
        usage: gateway-bench inbound  [--connections N] [--seconds S] [--synchronous full|normal] [--senders N]
                                      [--threads T] [--harness sockets|libcurl] [--idle N] [--ids sequential|random]
                                      [--batch B]
                                      [--postgres yes [--pairs N] | --database-url URL]
               gateway-bench apply    [--deliveries N] [--ids random|sequential] [--synchronous full|normal]
                                      [--prepare DIR | --from DIR]
               gateway-bench outbound [--events N] [--rate R] [--seconds S] [--concurrency C] [--synchronous full|normal]
                                      [--postgres yes | --database-url URL]
               gateway-bench deals    [--connections N] [--seconds S] [--synchronous full|normal] [--rooms R]
                                      [--chat-panel on|off] [--background on|deferred]
                                      [--harness sockets|libcurl] [--postgres yes | --database-url URL]
               gateway-bench identity [--customers N] [--resolutions N] [--batch B] [--synchronous full|normal]
                                      [--cache-mib M]
               gateway-bench pos      [--outlets N] [--synchronous full|normal] [--templates DIR]
               gateway-bench tickets  [--messages N] [--per-sender K] [--batch B] [--synchronous full|normal]
                                      [--multi-bsuid on|off] [--runs 1|2|3]
               gateway-bench access   [--connections N] [--seconds S] [--tickets N]
               gateway-bench segments [--contacts N]
               gateway-bench analytics [--tickets N]
               gateway-bench media    [--files N] [--kib K] [--concurrency 1,2,4,8] [--synchronous full|normal]
               gateway-bench export   [--rows N] [--kind ticket-messages|tickets]
               gateway-bench soak     [--minutes M] [--rate R] [--sample S]
               gateway-bench chaos-load --url URL [--secret S] [--seconds S] [--connections N] [--per-sender K]
                                      [--prefix P] [--log FILE] [--refused-log FILE]

        inbound   signed WhatsApp webhooks through the real gateway: acknowledged/s (verify + durable inbox commit)
                  and the sustained fully-applied rate (customer, ticket, outbox), compared in the same run with a
                  bare libmicrohttpd "200 OK" handler and the raw SQLite WAL commit rate; pin with taskset to scale;
                  with --postgres yes also on a throwaway PostgreSQL server, one instance and two sharing it
        apply     the apply pipeline alone: N signed deliveries from new senders (default 20,000, random ids) logged
                  in the inbox without HTTP (not timed), then read, normalized, recorded and applied by the gateway's
                  own normalizer and applier with nothing else running: deliveries/s and CPU per delivery by thread;
                  the same work every run, so scripts/count-instructions.sh counts its instructions under valgrind
                  (--prepare DIR only logs the deliveries into a store in DIR, --from DIR only applies them on a copy)
        outbound  state changes with outbox rows -> dispatcher (claim, sign, send) -> local libmicrohttpd sink: a burst
                  of N events for deliveries/s, then R events/s for S seconds for end-to-end latency (commit -> sink);
                  compared in the same run with raw libcurl multi POSTs to the same sink
        deals     signed deal.created webhooks end to end (verify, apply, timeline + outbox written, 201), with the
                  dispatcher and the Chat Panel preview worker running against local stubs (or, --background deferred,
                  started only after the load, to measure the request path alone and then the drain)
        identity  identity resolutions/s (known and new) on a store of --customers customers (default 1,000,000)
        pos       `pos import` of a generated POS export of --outlets outlets (default 100,000): fresh, repeated,
                  partly renewed (CSV) and fresh (JSON); file read + decode + one-transaction import, timed;
                  then the daily renewal run over the imported outlets (first run of a day, again, next day)
        tickets   inbound messages/s turned into tickets with identity resolution (the gateway's own inbound
                  applier, with the app's steps, over pre-normalized message items; --batch defaults to the app's
                  normalizer.batch_size): new senders, conversations, and known senders with open tickets
        access    POST /v1/deals and GET /v1/tickets?limit=50 with the bootstrap token, an API token and a token scoped
                  to one franchise (same run), and the access checks alone as a share of a request's CPU
        segments  segment previews and evaluations over a generated organisation of N contacts (default 50,000) with
                  conversations and deals, and the segment list
        analytics the rollups taking in N tickets (default 1,000,000, a year, with messages and CSAT) and each
                  /v1/analytics query over HTTP (median of 5): the year, 30 days by day, by agent and outlet
        media     inbound media downloads/s: N queued downloads of distinct K KiB files worked by the gateway's
                  downloader (metadata + file GET, SHA-256 check, flushed temporary file, rename, stored row) against
                  a local stand-in for the Cloud API, per concurrency, next to plain libcurl GETs of the same files
        export    GET /v1/exports/<kind>.csv of N rows (default 1,000,000 ticket messages) seeded straight into the
                  store: rows/s over HTTP (streamed, de-chunked by a plain socket client) and the process's resident
                  memory before and at its peak during the export; then the same pages read and written as CSV alone
        soak      R signed WhatsApp deliveries/s (new senders) through the running gateway for M minutes, sampling
                  resident memory, open files, acknowledged/failed, the inbox backlog and lag every S seconds
        chaos-load  the client of scripts/chaos.sh, not a benchmark: new signed WhatsApp messages (K per sender) at a
                  running gateway at URL for S seconds, whatever happens to it; the ids answered 200 go to --log,
                  those refused with a 503 problem+json to --refused-log; prints the answer counts as key=value lines

        Build with -c release for meaningful numbers: swift run -c release gateway-bench inbound

        """

    static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first, !["-h", "--help", "help"].contains(command) else {
            print(usage, terminator: "")
            return arguments.isEmpty ? 64 : 0
        }
        let options = BenchOptions(Array(arguments.dropFirst()))
        switch command {
        case "inbound": return InboundBenchmark(options: options).run()
        case "apply": return ApplyBenchmark(options: options).run()
        case "outbound": return OutboundBenchmark(options: options).run()
        case "deals": return DealsBenchmark(options: options).run()
        case "identity": return IdentityBenchmark(options: options).run()
        case "pos": return POSBenchmark(options: options).run()
        case "tickets": return TicketsBenchmark(options: options).run()
        case "access": return AccessBenchmark(options: options).run()
        case "segments": return SegmentsBenchmark(options: options).run()
        case "analytics": return AnalyticsBenchmark(options: options).run()
        case "media": return MediaBenchmark(options: options).run()
        case "export": return ExportBenchmark(options: options).run()
        case "soak": return SoakBenchmark(options: options).run()
        case "chaos-load": return ChaosLoad(options: options).run()
        default:
            FileHandle.standardError.write(Data("unknown benchmark '\(command)'\n\n\(usage)".utf8))
            return 64
        }
    }
}

/// `--name value` pairs.
struct BenchOptions {
    private var values: [String: String] = [:]

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let key = arguments[index]
            if key.hasPrefix("--"), index + 1 < arguments.count {
                values[String(key.dropFirst(2))] = arguments[index + 1]
                index += 2
            } else {
                index += 1
            }
        }
    }

    func int(_ name: String, default value: Int) -> Int { values[name].flatMap(Int.init) ?? value }
    func double(_ name: String, default value: Double) -> Double { values[name].flatMap(Double.init) ?? value }
    func string(_ name: String, default value: String) -> String { values[name] ?? value }
    func optionalString(_ name: String) -> String? { values[name] }
}
