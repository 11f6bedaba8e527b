import CMicroHTTPD

/// The C entry points of a streamed response (``HTTPBodyStream``): MHD's content reader and the free callback.
/// `cls` carries the stream, retained by `MHDResponseWriter` and released here when MHD is done with the response —
/// after the last chunk, after a failed read, or when the client went away mid-stream.
enum MHDStreamCallbacks {
    static let read: MHD_ContentReaderCallback = { cls, _, buffer, max in
        guard let cls, let buffer else { return gw_mhd_reader_end_with_error() }
        guard max > 0 else { return 0 }  // no room (MHD does not ask so); 0 is "nothing now", not the end
        let stream = Unmanaged<HTTPBodyStream>.fromOpaque(cls).takeUnretainedValue()
        guard let count = stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: max)) else {
            return gw_mhd_reader_end_with_error()
        }
        return count == 0 ? gw_mhd_reader_end_of_stream() : count
    }

    static let free: MHD_ContentReaderFreeCallback = { cls in
        guard let cls else { return }
        let stream = Unmanaged<HTTPBodyStream>.fromOpaque(cls).takeRetainedValue()
        stream.release()
    }
}
