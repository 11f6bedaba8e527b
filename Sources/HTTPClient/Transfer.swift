import CCurl
import Dispatch

/// One request in flight: the easy handle it runs on, the header list libcurl reads from, and
/// the response as it arrives. Confined to the client's loop thread.
///
/// libcurl's write and header callbacks are C function pointers and cannot capture anything,
/// so they receive this object as an unretained `userdata` pointer. That is safe because the
/// loop keeps every active transfer alive in its table until libcurl reports it done.
final class Transfer {
    let easy: EasyHandle
    let completion: @Sendable (Result<ClientResponse, ClientError>) -> Void
    /// Monotonic time (`DispatchTime` nanoseconds) by which the request's total timeout has
    /// expired; nil without a total timeout.
    let deadline: UInt64?
    /// Request headers; libcurl reads them during the transfer, freed in deinit.
    var requestHeaders: UnsafeMutablePointer<curl_slist>?
    private let maxResponseBytes: Int
    private var responseHeaders = ResponseHeaderCollector()
    private var body: [UInt8] = []
    private var truncated = false

    init(easy: EasyHandle, maxResponseBytes: Int, totalTimeout: Double, completion: @escaping @Sendable (Result<ClientResponse, ClientError>) -> Void) {
        self.easy = easy
        self.maxResponseBytes = maxResponseBytes
        self.completion = completion
        deadline = totalTimeout > 0 && totalTimeout.isFinite
            ? DispatchTime.now().uptimeNanoseconds + UInt64(min(totalTimeout, 1e9) * 1e9)
            : nil
    }

    deinit {
        curl_slist_free_all(requestHeaders)
    }

    /// Pointer handed to libcurl as WRITEDATA/HEADERDATA; valid while the loop holds `self`.
    var callbackContext: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    /// The response or error for a transfer libcurl reported done with `code`.
    func outcome(_ code: CURLcode) -> Result<ClientResponse, ClientError> {
        // Our write callback aborts (CURLE_WRITE_ERROR) once the body cap is passed; the
        // response received so far is still the answer.
        guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && truncated) else {
            return .failure(ClientError(curlCode: code, detail: easy.errorMessage))
        }
        var status = 0
        gw_easy_getinfo_long(easy.raw, CURLINFO_RESPONSE_CODE, &status)
        var microseconds: curl_off_t = 0
        gw_easy_getinfo_off_t(easy.raw, CURLINFO_TOTAL_TIME_T, &microseconds)
        return .success(ClientResponse(
            status: status,
            headers: responseHeaders.headers,
            body: body,
            truncated: truncated,
            totalTime: Double(microseconds) / 1_000_000))
    }

    /// Keeps at most `maxResponseBytes`; returns the count consumed. Returning less than
    /// offered makes libcurl abort the transfer, which is how an oversized body stops early.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        let room = maxResponseBytes - body.count
        if bytes.count <= room {
            body.append(contentsOf: bytes)
            return bytes.count
        }
        body.append(contentsOf: bytes.prefix(max(room, 0)))
        truncated = true
        return 0
    }

    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) -> Int {
        responseHeaders.consume(line: line)
        return line.count
    }

    // MARK: C callbacks (no captures: the context arrives as userdata)

    static let writeCallback: curl_write_callback = { data, size, count, userdata in
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
        return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
    }

    static let headerCallback: curl_write_callback = { data, size, count, userdata in
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
        return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
    }
}
