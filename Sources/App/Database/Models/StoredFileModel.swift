import Fluent
import Foundation

/// An uploaded file, kept in the database itself, so every app process can serve it (on PostgreSQL as on
/// SQLite) and no public folder holds it. The id is random; the name is not used to store it.
final class StoredFileModel: Model, @unchecked Sendable {
    static let schema = "stored_files"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // MARK: data
    @Field(key: "content_type") var contentType: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data

    init() {}
}
