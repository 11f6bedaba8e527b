import Access
import GatewayKit
import HTTPServer

/// One export's CSV body, produced page by page as the client reads it: each piece is the header (first) and then
/// whole pages of rows until it holds about ``pieceBytes``; memory stays at about one piece whatever the row count.
/// The pages run on the server thread that sends the body, each one short read (see ``ExportTable``).
struct ExportStream: Sendable {
    let table: any ExportTable
    let request: ExportRequest
    let byteOrderMark: Bool

    /// Rows per page read.
    static let pageRows = 1_000
    /// Bytes gathered before a piece is handed to the connection.
    static let pieceBytes = 64 * 1024

    /// The body with its first piece already read (so a failing store fails here, before the answer).
    func start() throws -> HTTPBodyStream {
        var writer = CSVWriter(byteOrderMark: byteOrderMark)
        writer.record(table.columns)
        var cursor: Int64? = 0
        let (table, request) = (self.table, self.request)
        try Self.fill(&writer, from: &cursor, table, request)
        return HTTPBodyStream(produce: { buffer in
            if writer.output.isEmpty { try Self.fill(&writer, from: &cursor, table, request) }
            buffer = writer.takeOutput()
            return cursor == nil ? .finished : .more
        })
    }

    /// Reads pages after `cursor` until the writer holds a piece or the rows ran out (`cursor` nil).
    private static func fill(_ writer: inout CSVWriter, from cursor: inout Int64?, _ table: any ExportTable,
                             _ request: ExportRequest) throws {
        while let after = cursor, writer.output.count < pieceBytes {
            cursor = try table.page(request, after: after, limit: pageRows, into: &writer)
        }
    }
}
