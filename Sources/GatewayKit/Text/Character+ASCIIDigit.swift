extension Character {
    /// `0`–`9` only (not other scripts' digits, which `isNumber` also accepts).
    public var isASCIIDigit: Bool { isASCII && isNumber }
}
