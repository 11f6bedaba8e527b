import Foundation
import GatewayKit
/// The numbered `{{n}}` placeholders of WhatsApp template text (Cloud API positional parameters).
public enum TemplatePlaceholders {
    /// What scanning a text found.
    enum Scan: Equatable {
        /// The placeholder numbers, in order of appearance.
        case numbers([Int])
        /// Why one is malformed (`{{x}}`, `{{0}}`, `{{01}}`, an unclosed `{{`).
        case malformed(String)
    }

    static func numbers(in text: String) -> Scan {
        var numbers: [Int] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                return .malformed("has a {{ without a closing }}")
            }
            let inner = rest[open.upperBound..<close.lowerBound]
            guard (1...3).contains(inner.count), inner.allSatisfy(\.isASCIIDigit), inner.first != "0",
                  let number = Int(inner)
            else { return .malformed("has a malformed placeholder {{\(inner)}} (use {{1}}, {{2}}, ...)") }
            numbers.append(number)
            rest = rest[close.upperBound...]
        }
        return .numbers(numbers)
    }

    /// `text` with each `{{n}}` replaced by `values[n-1]` (numbers were validated when the template was loaded).
    public static func fill(_ text: String, with values: [String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}"),
              let number = Int(rest[open.upperBound..<close.lowerBound]), values.indices.contains(number - 1) {
            out += rest[..<open.lowerBound] + values[number - 1]
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Why the placeholder `numbers` used by a template do not match its `declared` parameter count, or nil: every
    /// number within 1...declared (no extra), no gaps (contiguous), each declared one used (none missing).
    static func mismatch(_ numbers: Set<Int>, declared: Int) -> String? {
        if let extra = numbers.filter({ $0 > declared }).min() {
            return "uses {{\(extra)}} but parameters declares \(declared)"
        }
        if let highest = numbers.max(), let gap = (1...highest).first(where: { !numbers.contains($0) }) {
            return "placeholders are not contiguous: {{\(gap)}} is missing below {{\(highest)}}"
        }
        if numbers.count < declared {
            return "does not use {{\(numbers.count + 1)}} although parameters declares \(declared)"
        }
        return nil
    }
}
