import GatewayKit

extension CSATSettings {
    /// The keys of the `csat` section: file key, environment variable, check and default, next to the settings.
    public static let configKeys: [ConfigKey<CSATSettings>] = [
        .bool("csat.enabled", env: "CSAT_ENABLED", \.enabled),
        .duration("csat.response_window", \.responseWindowMilliseconds, range: 60_000...(90 * 86_400_000)),
        .duration("csat.comment_window", \.commentWindowMilliseconds, range: 0...86_400_000),
    ]
}
