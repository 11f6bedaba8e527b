/// The fields of a ticket (the CRM's ticket form and the fields segments filter tickets by: status, pipeline, stage, owner,
/// assignee, priority, reporter, due date and SLA status).
public enum TicketFields {
    public static let all: [RecordField] = [
        RecordField("name", .text(maxLength: 255), required: true),
        RecordField("status", .reference(maxLength: 64)),
        RecordField("pipeline", .reference(maxLength: 128)),
        RecordField("stage", .reference(maxLength: 128)),
        RecordField("owner", .reference(maxLength: 128)),
        RecordField("assignee", .reference(maxLength: 128)),
        RecordField("priority", .reference(maxLength: 64)),
        RecordField("reporter", .reference(maxLength: 128)),
        RecordField("due_at", .timestamp),
        RecordField("sla_status", .reference(maxLength: 64)),
    ]

    /// A change to one of these refreshes the ticket preview in Omnichannel (the preview shows name and status).
    public static let previewFields: Set<String> = ["name", "status"]
}
