/// The fields of a material as editors see them, with the one Danish label the edit form, its error
/// summary and the revision history all use (so "Kort beskrivelse" in the form is "Kort beskrivelse" in the
/// history too).
public enum MaterialField: String, CaseIterable, Sendable {
    case title, slug, genre, type, teaser, body, creditKind, persons, organisation, year, language, readingMinutes
    case audiences, topics, versions, status

    public var label: String {
        switch self {
        case .title: "Titel"
        case .slug: "Adresse"
        case .genre: "Genre"
        case .type: "Type"
        case .teaser: "Kort beskrivelse"
        case .body: "Tekst"
        case .creditKind: "Kreditering"
        case .persons: "Personer"
        case .organisation: "Organisation"
        case .year: "År"
        case .language: "Sprog"
        case .readingMinutes: "Læsetid i minutter"
        case .audiences: "Målgrupper"
        case .topics: "Emner"
        case .versions: "Udgaver"
        case .status: "Status"
        }
    }
}
