import Fluent

struct CreateMunicipality: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MunicipalityModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("region_code", .string, .required)
            .field("region", .string, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MunicipalityModel.schema).delete()
    }
}
