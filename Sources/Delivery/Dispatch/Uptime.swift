import Dispatch

/// The monotonic clock (`DispatchTime`: CLOCK_MONOTONIC on Linux) in milliseconds: real time elapsed inside this
/// process, never stepped by NTP, an operator or a test. The dispatcher judges its own deadlines on it — how long a
/// claim is still its own, when to sweep, retry a failed write or give up draining — while times stored in the outbox
/// (next attempts, leases other processes read) stay on the injected wall clock.
enum Uptime {
    static var milliseconds: Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }
}
