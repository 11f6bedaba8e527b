/// Why Meta did not deliver a message, by the error code of a refusal or a `failed` status: a short reason an agent
/// or a report can act on. Codes not listed have none (their title says what Meta said).
enum CloudAPIErrorReasons {
    static let byCode: [Int64: String] = [
        131047: "service_window_closed",       // more than 24 hours since the customer wrote: only templates
        131026: "undeliverable",               // not on WhatsApp, old app, or has not accepted the terms
        131049: "limited_by_meta",             // Meta held back a marketing message for the customer's engagement
        131050: "marketing_stopped",           // the customer stopped marketing messages
        131051: "unsupported_message_type",
        131052: "media_download_failed",
        131053: "media_upload_failed",
        131042: "payment_problem",             // the business's payment method
        131045: "number_not_registered",
        131031: "account_locked",
        131056: "pair_rate_limited",           // too many messages to this one customer
        130429: "rate_limited",
        130472: "meta_experiment",             // the customer is in a Meta experiment group
        132000: "template_parameters_mismatch",
        132001: "template_missing",
        132007: "template_policy_violation",
        132015: "template_paused",
        132016: "template_disabled",
        368: "policy_violation",
    ]
}
