import CMicroHTTPD

/// The C entry points of a streamed response (``HTTPBodyStream``): MHD's content reader and the free callback.
/// `cls` carries the stream, retained by `MHDResponseWriter` and released here when MHD is done with the response —
/// after the last chunk, after a failed read, or when the client went away mid-stream.
enum MHDStreamCallbacks {
    static let read: MHD_ContentReaderCallback = { cls, _, buffer, max in
        guard let cls, let buffer else { return gw_mhd_reader_end_with_error() }
        guard max > 0 else { return 0 }  // no room (MHD does not ask so); 0 is "nothing now", not the end
        let stream = Unmanaged<HTTPBodyStream>.fromOpaque(cls).takeUnretainedValue()
        switch stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: max)) {
        case .bytes(let count): return count
        case .end: return gw_mhd_reader_end_of_stream()
        case .failed: return gw_mhd_reader_end_with_error()
        case .suspended: return 0  // MHD asks again once the stream resumes the connection
        }
    }

    static let free: MHD_ContentReaderFreeCallback = { cls in
        guard let cls else { return }
        let stream = Unmanaged<HTTPBodyStream>.fromOpaque(cls).takeRetainedValue()
        stream.release()
    }
}
