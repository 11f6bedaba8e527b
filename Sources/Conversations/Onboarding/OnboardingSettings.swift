import GatewayKit

/// When the Merchant Success team onboards merchants, and how the merchant is reminded: the `onboarding` section of
/// the config file (see `Config/gateway.example.json`); times are milliseconds and minutes here.
public struct OnboardingSettings: Sendable, Equatable {
    /// The team's time zone: working hours and the times in messages are read in it.
    public var timeZone = "Asia/Kuala_Lumpur"
    /// ISO weekdays (1 = Monday … 7 = Sunday) the team works, ascending.
    public var workingDays = [1, 2, 3, 4, 5]
    /// The working day, minutes after local midnight: slots start at `workStartMinute` and end by `workEndMinute`.
    public var workStartMinute = 9 * 60
    public var workEndMinute = 17 * 60
    /// The length of one onboarding, and the step between slots.
    public var slotMilliseconds = 3_600_000
    /// Local hours in which no reminder goes out (moved to the window's end; a reminder that would then arrive at or
    /// after the onboarding's start is not sent). nil = none.
    public var quietHours: QuietHours? = QuietHours(startMinute: 21 * 60, endMinute: 9 * 60)

    public init() {}
}

extension OnboardingSettings {
    /// The keys of the `onboarding` section.
    public static let configKeys: [ConfigKey<OnboardingSettings>] = [
        .timeZone("onboarding.time_zone", env: "ONBOARDING_TIME_ZONE", \.timeZone),
        .weekdays("onboarding.days", \.workingDays),
        .workingHours("onboarding.hours", start: \.workStartMinute, end: \.workEndMinute),
        .duration("onboarding.slot_length", \.slotMilliseconds, range: 15 * 60_000...(8 * 3_600_000)),
        .quietHours("onboarding.quiet_hours", \.quietHours),
    ]
}

/// Keys of the `onboarding` section whose values have their own shapes.
extension ConfigKey {
    static var weekdayNames: [String] { ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] }

    /// A non-empty JSON array of distinct day names (`"mon"` … `"sun"`, any case; file only), stored as ISO weekdays.
    static func weekdays(_ path: String, _ keyPath: WritableKeyPath<Root, [Int]> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: false) { config, input throws(ConfigError) in
            guard case .json(.array(let elements)) = input, !elements.isEmpty else {
                throw .invalidValue(key: path, reason: "must be a non-empty array of days such as [\"mon\", \"tue\"]")
            }
            var days: [Int] = []
            for (index, element) in elements.enumerated() {
                guard let day = weekdayNames.firstIndex(of: (element.stringValue ?? "").lowercased()).map({ $0 + 1 }),
                      !days.contains(day) else {
                    throw .invalidValue(key: "\(path)[\(index)]", reason: "must be one of mon ... sun, each once")
                }
                days.append(day)
            }
            config[keyPath: keyPath] = days.sorted()
        }
    }

    /// `"HH:MM-HH:MM"`, the start before the end (a working day does not wrap midnight).
    static func workingHours(_ path: String, start: WritableKeyPath<Root, Int> & Sendable,
                             end: WritableKeyPath<Root, Int> & Sendable) -> ConfigKey {
        ConfigKey(path: path, env: nil, secret: false) { config, input throws(ConfigError) in
            let bounds = (try text(input, key: path, allowNull: false) ?? "").split(separator: "-")
            guard bounds.count == 2, let from = TimeOfDayText.minutes(bounds[0]),
                  let to = TimeOfDayText.minutes(bounds[1]), from < to else {
                throw .invalidValue(key: path, reason: "must be a local window HH:MM-HH:MM such as \"09:00-17:00\", "
                                    + "starting before it ends")
            }
            config[keyPath: start] = from
            config[keyPath: end] = to
        }
    }
}
