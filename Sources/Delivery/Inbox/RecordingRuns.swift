/// How a pass's deliveries are cut into runs of consecutive ones, each run recorded in one writer operation
/// (``RecordingApplication/operation(together:of:after:now:applications:)``): runs of about the same length, at most
/// ``longest`` long. That is ``most`` while runs commit. A run that fails is undone and its deliveries recorded again
/// one by one, so after one fails runs are one delivery long, then one longer with each run that commits: deliveries
/// that keep failing cost the rerun of short runs, not of long ones.
struct RecordingRuns {
    /// The longest runs by default: enough that a pass's savepoints and SQLite's copies of the pages they change are
    /// few, few enough that those copies stay a few megabytes.
    static let defaultMost = 64

    let most: Int
    private(set) var longest: Int

    init(most: Int = RecordingRuns.defaultMost) {
        precondition(most > 0, "runs are at least one delivery long")
        self.most = most
        longest = most
    }

    /// `count` deliveries in runs of about the same length, each at most ``longest`` long.
    func split(_ count: Int) -> [Range<Int>] {
        let runs = (count + longest - 1) / longest
        guard runs > 0 else { return [] }
        return (0..<runs).map { run in (run * count / runs)..<((run + 1) * count / runs) }
    }

    /// A run committed: the next ones may be one delivery longer.
    mutating func committed() { longest = min(most, longest + 1) }

    /// A run failed: the next ones are one delivery long.
    mutating func failed() { longest = 1 }
}
