import Fluent
import Foundation

/// A Danish municipality (kommune), from `Resources/Reference/kommuner.csv`.
final class MunicipalityModel: Model, @unchecked Sendable {
    static let schema = "municipalities"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    /// Four-digit municipality code, e.g. "0101".
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "region_code") var regionCode: String
    @Field(key: "region") var region: String

    init() {}
}

/// A subject of the folkeskole, from `fag.csv`.
final class SubjectModel: Model, @unchecked Sendable {
    static let schema = "subjects"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    @Field(key: "group_name") var groupName: String
    @Field(key: "from_grade") var fromGrade: String
    @Field(key: "to_grade") var toGrade: String
    @Field(key: "kind") var kind: String
    @Field(key: "position") var position: Int

    init() {}
}

/// A grade level, from `klassetrin.csv`.
final class GradeLevelModel: Model, @unchecked Sendable {
    static let schema = "grade_levels"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "stage") var stage: String
    @Field(key: "position") var position: Int

    init() {}
}

/// A kind of external learning environment, from `laeringsmiljoer.csv`.
final class LearningEnvironmentKindModel: Model, @unchecked Sendable {
    static let schema = "learning_environment_kinds"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    @Field(key: "position") var position: Int

    init() {}
}

/// Records that a named seed set was loaded, so it is never loaded again
/// (and never overwrites what editors changed afterwards).
final class AppliedSeedModel: Model, @unchecked Sendable {
    static let schema = "applied_seeds"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "applied_at") var appliedAt: Date

    // MARK: data
    @Field(key: "name") var name: String

    init() {}

    init(name: String, appliedAt: Date) {
        self.name = name
        self.appliedAt = appliedAt
    }
}
