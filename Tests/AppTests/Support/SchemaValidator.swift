import Foundation

/// A JSON Schema checker for the subset the OpenAPI document uses: type (one or several), properties,
/// required, additionalProperties: false, items, uniqueItems, enum, minimum/maximum, minLength/maxLength
/// (in Unicode code points, as JSON Schema counts), pattern and local $ref. Enough to prove that responses match their documented schemas; keywords it does not know
/// make it fail loudly rather than pass silently.
struct SchemaValidator {
    let document: [String: Any]

    static let known: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "maximum",
        "minLength", "maxLength", "pattern", "$ref", "description", "format", "example", "examples", "title", "default", "uniqueItems",
    ]

    func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let object = node as? [String: Any], let next = object[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    /// Problems found, each with the JSON path; empty when the value matches.
    func problems(_ value: Any, _ schema: [String: Any], path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return ["\(path): cannot resolve \(reference)"] }
            return problems(value, target, path: path)
        }
        let unknown = Set(schema.keys).subtracting(Self.known)
        if !unknown.isEmpty { return ["\(path): schema uses unsupported keywords \(unknown.sorted())"] }
        var found: [String] = []
        let types: [String] = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if !types.isEmpty && !types.contains(where: { Self.matches(value, type: $0) }) {
            return ["\(path): expected \(types.joined(separator: "|")), got \(Self.describe(value))"]
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(value) is not one of \(options)")
        }
        if !Self.isBoolean(value), let number = Self.number(value) {
            if let minimum = schema["minimum"].flatMap(Self.number), number < minimum { found.append("\(path): below minimum") }
            if let maximum = schema["maximum"].flatMap(Self.number), number > maximum { found.append("\(path): above maximum") }
        }
        if let string = value as? String {
            let length = string.unicodeScalars.count
            if let minLength = schema["minLength"] as? Int, length < minLength { found.append("\(path): shorter than \(minLength)") }
            if let maxLength = schema["maxLength"] as? Int, length > maxLength { found.append("\(path): longer than \(maxLength)") }
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): \"\(string)\" does not match \(pattern)")
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                found.append("\(path).\(name): required but missing")
            }
            for (name, child) in object {
                if let childSchema = properties[name] as? [String: Any] {
                    found += problems(child, childSchema, path: "\(path).\(name)")
                } else if (schema["additionalProperties"] as? Bool) == false {
                    found.append("\(path).\(name): not documented")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { found += problems(element, items, path: "\(path)[\(index)]") }
        }
        if let array = value as? [Any], schema["uniqueItems"] as? Bool == true {
            for index in array.indices.dropFirst() where array[..<index].contains(where: { Self.equal($0, array[index]) }) {
                found.append("\(path)[\(index)]: repeats an earlier item")
            }
        }
        return found
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        let isBool = isBoolean(value)
        switch type {
        case "null": return value is NSNull
        case "boolean": return isBool
        case "integer":
            guard !isBool, let number = number(value) else { return false }
            return number == number.rounded()
        case "number": return !isBool && number(value) != nil
        case "string": return value is String
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    /// JSONSerialization gives booleans as NSNumber too; they are the boolean class (`__NSCFBoolean`).
    private static func isBoolean(_ value: Any) -> Bool {
        type(of: value) == Bool.self || String(describing: type(of: value)).contains("Boolean")
    }

    private static func number(_ value: Any) -> Double? {
        switch value {
        case let int as Int: Double(int)
        case let double as Double: double
        case let number as NSNumber: number.doubleValue
        default: nil
        }
    }

    private static func equal(_ lhs: Any, _ rhs: Any) -> Bool {
        (lhs as? NSObject)?.isEqual(rhs) ?? false
    }

    private static func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case is String: "string"
        case is [Any]: "array"
        case is [String: Any]: "object"
        default: "\(value)"
        }
    }
}
