/// The one-row table of the content revision (`CreateContentState`, `ContentRevision`), read and written with
/// plain SQL only.
enum ContentStateTable {
    static let schema = "content_state"
}
