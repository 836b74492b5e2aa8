import Postgres
import Synchronization

/// How far one send went, as seen from the acceptance callback: whether the receiver accepted the
/// message, and whether the delivery was then marked delivered (and how long that took). The
/// handler reads it after the send to decide what an error means.
final class DeliveryProgress: Sendable {
    private let acceptedFlag = Atomic<Bool>(false)
    /// Nanoseconds from acceptance to the mark's commit; -1 until marked.
    private let windowNanoseconds = Atomic<Int64>(-1)

    func accepted() { acceptedFlag.store(true, ordering: .releasing) }

    func marked(after window: Duration) {
        windowNanoseconds.store(window.inNanoseconds, ordering: .releasing)
    }

    var isAccepted: Bool { acceptedFlag.load(ordering: .acquiring) }
    var isMarked: Bool { windowNanoseconds.load(ordering: .acquiring) >= 0 }

    /// Acceptance to commit of the mark, in milliseconds (for logs); nil until marked.
    var unmarkedMilliseconds: String? {
        let nanoseconds = windowNanoseconds.load(ordering: .acquiring)
        return nanoseconds < 0 ? nil : String(format: "%.3f", Double(nanoseconds) / 1e6)
    }
}
