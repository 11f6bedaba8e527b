extension String {
    /// Without leading and trailing spaces and tabs (header values, config values, CSV cells).
    public var trimmingSpaces: String {
        // Most values have nothing to trim: answer those without building a Substring (hot in bulk POS imports).
        guard let first = utf8.first, let last = utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return self }
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
