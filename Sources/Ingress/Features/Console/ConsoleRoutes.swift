import Foundation
import Access
import GatewayKit
import HTTPServer

/// The console's addresses. Every page address answers the same `index.html` (the app reads the address and draws
/// the page); the files it loads come from `/console/assets/`. The console's data comes from `/v1` with the session,
/// so these routes are open: they hold nothing but the app itself.
struct ConsoleRoutes {
    let files: ConsoleFiles

    /// The pages the app draws, by their first path segment after `/console/`.
    static let pages: Set<String> = ["login", "inbox", "renewals", "operations", "setup"]
    /// The admins' pages added with the desk work.
    static let deskPages: Set<String> = ["users"]
    /// The pages of one record, `/console/<page>/<id>`.
    static let recordPages: Set<String> = ["tickets", "contacts"]
    /// The pages over the desk's figures and the customer segments: `/console/analytics`, `/console/segments` and one
    /// segment's `/console/segments/<id>` (or `new`).
    static let insightPages: Set<String> = ["analytics", "segments"]

    /// Every answer's headers: the page may load only its own files and talk only to its own origin (no inline script
    /// or style, no framing), types are not sniffed, and no address is sent elsewhere.
    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy",
         "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ]

    func register(in router: inout Router) {
        let files = self.files
        let reason = RoutePermission.open(reason: "the console's own files; its data comes from /v1 with the session")
        // Before the record pages: the first pattern that fits an address answers it.
        router.add("GET", "/console/assets/{file}", reason) { request, responder in
            guard let file = files.asset(request.parameters["file"] ?? "") else {
                return responder.problem(.notFound("the console has no file \(request.http.path)"))
            }
            // Revalidated on use after five minutes: a new release's files are picked up without a hard reload.
            Self.send(file, cache: "public, max-age=300, must-revalidate", request, responder)
        }
        router.add("GET", "/console", reason) { request, responder in
            Self.page(files, request, responder)
        }
        router.add("GET", "/console/{page}", reason) { request, responder in
            let page = request.parameters["page"] ?? ""
            guard Self.pages.contains(page) || Self.deskPages.contains(page) || Self.insightPages.contains(page) else {
                return responder.problem(.notFound("the console has no page \(request.http.path)"))
            }
            Self.page(files, request, responder)
        }
        router.add("GET", "/console/{page}/{id}", reason) { request, responder in
            let page = request.parameters["page"] ?? ""
            guard Self.recordPages.contains(page) || page == "segments", let id = request.parameters["id"],
                  Self.isRecordID(id) else {
                return responder.problem(.notFound("the console has no page \(request.http.path)"))
            }
            Self.page(files, request, responder)
        }
    }

    /// Ticket numbers and contact ids (`cus_…`): letters, digits, `_` and `-`, at most 64.
    static func isRecordID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F
                || $0 == 0x2D
        }
    }

    private static func page(_ files: ConsoleFiles, _ request: RouteRequest, _ responder: Responder) {
        guard let index = files.index else {
            return responder.problem(.notFound("the console is not installed: no index.html in \(files.directory)"))
        }
        // The page is checked every time, so it always names the current files.
        send(index, cache: "no-cache", request, responder)
    }

    /// The file, or 304 when the caller already holds this version.
    private static func send(_ file: ConsoleFiles.File, cache: String, _ request: RouteRequest,
                             _ responder: Responder) {
        let headers = securityHeaders + [("Cache-Control", cache), ("ETag", file.etag)]
        if let held = request.http.headers["If-None-Match"],
           held.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == file.etag }) {
            return responder.respond(HTTPResponse(status: 304, headers: headers, body: []))
        }
        responder.raw(file.body, status: 200, contentType: file.contentType, headers: headers)
    }
}
