/// The fields of a deal (the CRM's deal form and the fields segments filter deals by: pipeline, stage, size, owner,
/// priority, approval status).
public enum DealFields {
    public static let all: [RecordField] = [
        RecordField("name", .text(maxLength: 255), required: true),
        RecordField("pipeline", .reference(maxLength: 128)),
        RecordField("stage", .reference(maxLength: 128)),
        RecordField("size", .amount),
        RecordField("owner", .reference(maxLength: 128)),
        RecordField("priority", .reference(maxLength: 64)),
        RecordField("approval_status", .reference(maxLength: 64)),
    ]

    /// A change to one of these refreshes the deal preview in Omnichannel (name, stage and pipeline are what the
    /// preview shows; the fields Omnichannel's Deal & Ticket section displays).
    public static let previewFields: Set<String> = ["name", "stage", "pipeline"]
}
