import Foundation

/// A theme page: an introduction and an ordered list of materials.
/// A material may belong to several themes; its position is kept per theme.
public struct Theme: Codable, Sendable, Equatable {
    public var slug: String
    public var title: String
    /// The section the page sits under, shown above the title ("Om Skoletjenesten").
    public var section: String?
    /// Markdown.
    public var intro: String
    /// Material slugs in the order the theme page shows them.
    public var materials: [String]
    public var status: PublicationStatus
    public var createdAt: Date?
    public var updatedAt: Date?

    public init(
        slug: String, title: String, section: String? = nil, intro: String = "", materials: [String] = [],
        status: PublicationStatus = .published, createdAt: Date? = nil, updatedAt: Date? = nil
    ) {
        self.slug = slug
        self.title = title
        self.section = section
        self.intro = intro
        self.materials = materials
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
