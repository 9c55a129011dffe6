import Foundation

extension ContentDocument {
    /// Writes a document in pieces: the frame first, then the materials a batch at a time, so that an export
    /// of any size holds one batch in memory rather than the whole catalogue and its JSON. Every piece comes
    /// from `encoder()`, and together they are byte for byte what encoding the whole document writes (a test
    /// checks this), so export files look as they always did.
    ///
    /// `encoder()` writes sorted keys, two spaces per level, and strings without raw line breaks. So the
    /// document's own keys are the only ones on lines indented by exactly two spaces, and `"materials" : [`
    /// marks where the list goes; each material, encoded alone, is placed two levels in.
    public struct StreamWriter {
        private let encoder = ContentDocument.encoder()
        private let head: Data
        /// What the encoder writes between `[` and `]` of an empty list.
        private let emptyList: Data
        /// From the list's `]` to the end of the document.
        private let tail: Data
        private var written = 0

        public struct FrameError: Error {}

        /// The parts of the document other than its materials.
        public init(vocabularies: Vocabularies, themes: [Theme]) throws {
            let frame = try encoder.encode(ContentDocument(vocabularies: vocabularies, materials: [], themes: themes))
            guard let list = frame.range(of: Data("\n  \"materials\" : [".utf8)),
                  let close = frame[list.upperBound...].firstIndex(of: UInt8(ascii: "]")) else { throw FrameError() }
            head = Data(frame[..<list.upperBound])
            emptyList = Data(frame[list.upperBound..<close])
            tail = Data(frame[close...])
        }

        /// The beginning of the document, up to the opening of the materials' list.
        public func start() -> Data { head }

        /// The next materials of the list.
        public mutating func append(_ materials: [Material]) throws -> Data {
            var piece = Data()
            for material in materials {
                piece.append(contentsOf: written == 0 ? [newline] : [comma, newline])
                // Line by line, indented; an empty line (inside an empty list) stays empty, as the encoder writes it.
                let encoded = try encoder.encode(material)
                var lineStart = encoded.startIndex
                while true {
                    let lineEnd = encoded[lineStart...].firstIndex(of: newline) ?? encoded.endIndex
                    if lineEnd > lineStart {
                        piece.append(contentsOf: indentation)
                        piece.append(encoded[lineStart..<lineEnd])
                    }
                    guard lineEnd < encoded.endIndex else { break }
                    piece.append(newline)
                    lineStart = lineEnd + 1
                }
                written += 1
            }
            return piece
        }

        /// The end of the document: the close of the materials' list and everything after it.
        public func finish() -> Data {
            written == 0 ? emptyList + tail : Data([newline, space, space]) + tail
        }

        private let newline = UInt8(ascii: "\n"), comma = UInt8(ascii: ","), space = UInt8(ascii: " ")
        /// Two levels: the document's, and the list's.
        private let indentation = [UInt8](repeating: UInt8(ascii: " "), count: 4)
    }
}
