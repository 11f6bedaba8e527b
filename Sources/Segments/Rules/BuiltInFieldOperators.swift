/// The built-in contact fields whose type and operators in the rule builder differ from what their stored type
/// offers. Owner, status and domicile hold values from lists the organisation keeps (its users, its statuses, its
/// regions): they compare whole values, like a dropdown. Date of birth compares days only (no "not on", no relative
/// days). Each metric offers the comparisons of its kind: counts and amounts compare without emptiness tests,
/// percentages are percentages, ratios and costs are compared as ranges. Every other built-in contact field takes its
/// type's operators.
enum BuiltInFieldOperators {
    static let byKey: [String: (type: SegmentField.FieldType, operators: [SegmentOperator])] = [
        "owner": (.text, SegmentOperator.choice),
        "status": (.text, SegmentOperator.choice),
        "domicile": (.text, SegmentOperator.choice),
        "date_of_birth": (.date, [.on, .before, .after, .between, .isEmpty, .isNotEmpty]),
        "loyalty_points": (.number, SegmentOperator.count),
        "average_call_duration_seconds": (.number, SegmentOperator.measure),
        "average_nps_score": (.number, SegmentOperator.score),
        "ai_containment_rate": (.percentage, SegmentOperator.range),
        "campaign_attributed_revenue": (.number, SegmentOperator.count),
        "ad_impressions": (.number, SegmentOperator.count),
        "ad_clicks": (.number, SegmentOperator.count),
        "ads_conversion_rate": (.percentage, SegmentOperator.percentage),
        "cost_per_lead": (.number, SegmentOperator.range),
        "cost_per_acquisition": (.number, SegmentOperator.range),
        "roas": (.number, SegmentOperator.range),
        "total_bookings": (.number, SegmentOperator.count),
        "booking_completed_rate": (.percentage, SegmentOperator.range),
        "average_order_value": (.number, SegmentOperator.count),
        "purchase_frequency": (.number, SegmentOperator.count),
        "paid_rate": (.percentage, SegmentOperator.range),
    ]
}
