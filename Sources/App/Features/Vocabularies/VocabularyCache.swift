import Fluent
import SamspilCore
import Synchronization

/// The vocabularies this process read last, with the vocabulary revision they were read at
/// (`search_stats.vocabulary_revision`, raised by every change). A search learns the current revision from
/// the statement that loads its page of results and uses this copy only if it is of that revision.
final class VocabularyCache: Sendable {
    private let stored = Mutex<(revision: Int64, vocabularies: Vocabularies)?>(nil)

    /// The vocabularies of `revision`: this process's copy if it is of that revision, or else read now (and
    /// kept). The copy is read after the revision was, so it may be newer than `revision`, never older; the
    /// next search then finds a newer revision and reads again.
    func vocabularies(at revision: Int64?, on db: any Database) async throws -> Vocabularies {
        if let revision, let copy = stored.withLock({ $0 }), copy.revision == revision { return copy.vocabularies }
        let vocabularies = try await VocabularyQueries.load(on: db)
        if let revision { stored.withLock { $0 = (revision, vocabularies) } }
        return vocabularies
    }

    /// This process's copy and its revision, however old, to check a page's parameters against before the page's
    /// own read says which revision is current (then `vocabularies(at:on:)`).
    var latest: (revision: Int64, vocabularies: Vocabularies)? { stored.withLock { $0 } }
}
