import Foundation
import GatewayKit
/// An interactive list message: a body, a button that opens the list, and up to ten rows in up to ten sections. The
/// customer's pick comes back as an `interactive` `list_reply` with the row's `id` (the POS phase uses it to ask which
/// outlet a message is about).
public struct WhatsAppListMessage: Sendable, Equatable {
    /// Cloud API limits, in characters.
    public enum Limit {
        public static let body = 4096
        public static let headerFooter = 60
        public static let button = 20
        public static let sectionTitle = 24
        public static let rowID = 200
        public static let rowTitle = 24
        public static let rowDescription = 72
        /// Rows across all sections; also the most sections.
        public static let rows = 10
    }

    public struct Section: Sendable, Equatable {
        /// Required when the list has more than one section.
        public var title: String?
        public var rows: [Row]

        public init(title: String? = nil, rows: [Row]) {
            self.title = title
            self.rows = rows
        }
    }

    public struct Row: Sendable, Equatable {
        /// Comes back in the reply; unique within the message.
        public var id: String
        public var title: String
        public var description: String?

        public init(id: String, title: String, description: String? = nil) {
            self.id = id
            self.title = title
            self.description = description
        }
    }

    public var header: String?
    public var body: String
    public var footer: String?
    public var button: String
    public var sections: [Section]

    public init(header: String? = nil, body: String, footer: String? = nil, button: String, sections: [Section]) {
        self.header = header
        self.body = body
        self.footer = footer
        self.button = button
        self.sections = sections
    }

    /// One untitled section of `rows`.
    public init(header: String? = nil, body: String, footer: String? = nil, button: String, rows: [Row]) {
        self.init(header: header, body: body, footer: footer, button: button, sections: [Section(rows: rows)])
    }

    /// Every way the message breaks the Cloud API's limits, named under `list.` (empty when it can be sent).
    public func problems() -> [FieldError] {
        var problems: [FieldError] = []
        func check(_ text: String?, _ field: String, limit: Int, required: Bool) {
            guard let text else {
                if required { problems.append(FieldError(field: "list.\(field)", message: "is required")) }
                return
            }
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(FieldError(field: "list.\(field)", message: "must not be empty"))
            } else if text.count > limit {
                problems.append(FieldError(field: "list.\(field)", message: "must be at most \(limit) characters"))
            }
        }
        check(header, "header", limit: Limit.headerFooter, required: false)
        check(body, "body", limit: Limit.body, required: true)
        check(footer, "footer", limit: Limit.headerFooter, required: false)
        check(button, "button", limit: Limit.button, required: true)
        let rowCount = sections.reduce(0) { $0 + $1.rows.count }
        if sections.isEmpty || sections.count > Limit.rows {
            problems.append(FieldError(field: "list.sections", message: "must hold 1 to \(Limit.rows) sections"))
        } else if rowCount > Limit.rows {
            problems.append(FieldError(field: "list.sections", message: "must hold at most \(Limit.rows) rows in all"))
        }
        var ids = Set<String>()
        for (s, section) in sections.enumerated() {
            check(section.title, "sections[\(s)].title", limit: Limit.sectionTitle, required: sections.count > 1)
            if section.rows.isEmpty {
                problems.append(FieldError(field: "list.sections[\(s)].rows", message: "must hold at least one row"))
            }
            for (r, row) in section.rows.enumerated() {
                let path = "sections[\(s)].rows[\(r)]"
                check(row.id, "\(path).id", limit: Limit.rowID, required: true)
                check(row.title, "\(path).title", limit: Limit.rowTitle, required: true)
                check(row.description, "\(path).description", limit: Limit.rowDescription, required: false)
                if !ids.insert(row.id).inserted {
                    problems.append(FieldError(field: "list.\(path).id", message: "repeats another row's id"))
                }
            }
        }
        return problems
    }
}
