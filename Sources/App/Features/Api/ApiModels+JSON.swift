import Foundation

// The search response writes itself (see `JSONWritable`): every field of each type, in declaration order,
// under its property name. `JSONWriterTests` compares the result with JSONEncoder's on real searches.

extension SearchResultDTO: JSONWritable {
    func write(to json: JSONWriter) throws {
        try json.object {
            json.field("query", query)
            json.field("total", total)
            json.field("limit", limit)
            json.field("offset", offset)
            json.field("sort", sort)
            try json.field("items", items)
            try json.field("facets", facets)
            json.field("suggestion", suggestion)
            if let partial {
                try json.field("partial", partial)
            }
        }
    }
}

extension SearchResultDTO.PartialDTO: JSONWritable {
    func write(to json: JSONWriter) throws {
        json.object {
            json.field("matchedWords", matchedWords)
            json.field("queryWords", queryWords)
        }
    }
}

extension SearchResultDTO.HitDTO: JSONWritable {
    func write(to json: JSONWriter) throws {
        try json.object {
            try json.field("material", material)
            try json.field("score", score)
            try json.field("snippet", snippet)
        }
    }
}

extension SearchResultDTO.SnippetPartDTO: JSONWritable {
    func write(to json: JSONWriter) {
        json.object {
            json.field("text", text)
            json.field("highlighted", highlighted)
        }
    }
}

extension SearchResultDTO.FacetsDTO: JSONWritable {
    func write(to json: JSONWriter) throws {
        try json.object {
            try json.field("type", type)
            try json.field("audience", audience)
            try json.field("topic", topic)
            try json.field("year", year)
            try json.field("language", language)
        }
    }
}

extension SearchResultDTO.FacetValueDTO: JSONWritable {
    func write(to json: JSONWriter) {
        json.object {
            json.field("value", value)
            json.field("label", label)
            json.field("count", count)
        }
    }
}

extension MaterialDTO: JSONWritable {
    func write(to json: JSONWriter) throws {
        try json.object {
            json.field("slug", slug)
            json.field("title", title)
            json.field("displayTitle", displayTitle)
            try json.field("genre", genre)
            try json.field("type", type)
            json.field("teaser", teaser)
            json.field("body", body)
            try json.field("credits", credits)
            json.field("year", year)
            json.field("language", language)
            json.field("readingMinutes", readingMinutes)
            json.field("readingMinutesComputed", readingMinutesComputed)
            try json.field("audiences", audiences)
            try json.field("topics", topics)
            try json.field("versions", versions)
            json.field("status", status)
            json.field("createdAt", createdAt)
            json.field("updatedAt", updatedAt)
            try json.field("publisher", publisher)
            json.field("url", url)
        }
    }
}

extension MaterialDTO.PublisherDTO: JSONWritable {
    func write(to json: JSONWriter) {
        json.object {
            json.field("slug", slug)
            json.field("name", name)
            json.field("url", url)
        }
    }
}

extension MaterialDTO.CreditsDTO: JSONWritable {
    func write(to json: JSONWriter) {
        json.object {
            json.field("kind", kind)
            json.field("persons", persons)
            json.field("organisation", organisation)
            json.field("line", line)
        }
    }
}

extension MaterialDTO.VersionDTO: JSONWritable {
    func write(to json: JSONWriter) {
        json.object {
            json.field("kind", kind)
            json.field("label", label)
            json.field("availability", availability)
            json.field("url", url)
        }
    }
}

extension TermDTO: JSONWritable {
    func write(to json: JSONWriter) {
        json.object {
            json.field("slug", slug)
            json.field("label", label)
        }
    }
}
