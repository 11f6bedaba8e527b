import GatewayKit
import Retail

extension POSSnapshotDecoder {
    /// The formats POS systems send: CSV exports and JSON documents, each row checked against `rules`.
    public init(rules: OutletFieldRules) {
        self.init(readers: [.csv: OutletCSVReader(rules: rules), .json: OutletJSONReader(rules: rules)])
    }
}

extension POSSnapshotImport {
    /// An import reading CSV and JSON snapshots with the rules of `settings`.
    public init(settings: POSSettings, observer: any OutletChangeObserver = IgnoredOutletChanges(),
                metrics: MetricsRegistry? = nil) {
        self.init(decoder: POSSnapshotDecoder(rules: OutletFieldRules(settings: settings)), settings: settings,
                  observer: observer, metrics: metrics)
    }
}
