/// How a pass's deliveries are cut into runs of consecutive ones, each run recorded in one writer operation
/// (``RecordingApplication/operation(together:of:after:now:applications:)``): runs of about the same length, at most
/// ``longest`` long. That is ``most`` while runs commit. A run that fails is undone and its deliveries recorded again
/// one by one, so after one fails runs are one delivery long, then one longer with each run that commits: deliveries
/// that keep failing cost the rerun of short runs, not of long ones.
struct RecordingRuns {
    /// The longest runs by default. A delivery changes some pages the ones before it changed too (the ends of tables,
    /// indexes by time) and many only it changes (indexes by phone number, message id); SQLite copies each page a run
    /// changes once. With new senders that is about 50 pages a delivery when each has a savepoint of its own, 30 in
    /// runs of 16 and 27 in runs of 64: 16 keeps most of the saving while a run's copies stay about 2 MB and a failed
    /// run reruns little.
    static let defaultMost = 16

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
