import Fluent

/// Every migration, in the order they run. Append only; never edit one that has landed.
enum Migrations {
    static let all: [any Migration] = [
        CreateVocabularyTerm(),
        CreateMaterial(),
        CreateMaterialPerson(),
        CreateMaterialTerm(),
        CreateMaterialVersion(),
        CreateTheme(),
        CreateThemeMaterial(),
        CreateMunicipality(),
        CreateSubject(),
        CreateGradeLevel(),
        CreateLearningEnvironmentKind(),
        CreateAppliedSeed(),
        AddMaterialIndexes(),
        CreateSearchTerm(),
        CreateSearchDocument(),
        CreateSearchPosting(),
        CreateSearchStats(),
        UpdateSearchDocumentTerms(),
        CreateSearchChange(),
        DropSearchPosting(),
        DropSearchTerm(),
        CreateUser(),
        CreateSession(),
        CreateLoginFailure(),
        CreateOutboxMessage(),
        CreatePasswordReset(),
        UpdateMaterialRevision(),
        CreateAuditEvent(),
        CreateStoredFile(),
        CreateApiToken(),
        CreateMaterialRevision(),
        UpdateSearchDocumentRecord(),
    ]
}
