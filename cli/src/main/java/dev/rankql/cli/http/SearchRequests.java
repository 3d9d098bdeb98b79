package dev.rankql.cli.http;

import dev.rankql.ast.Query;
import dev.rankql.ast.SearchRequest;
import dev.rankql.ast.TrackTotalHits;
import java.util.Optional;

/** Applies the search URL parameters that replace a part of the body ({@code q}, {@code track_total_hits}). */
final class SearchRequests {

    private SearchRequests() {}

    /** {@code request} with its query replaced, as Elasticsearch's {@code q} parameter does. */
    static SearchRequest withQuery(SearchRequest r, Query query) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), Optional.of(query), r.rescore(), r.from(), r.size(),
                r.minScore(), r.explain(), r.profile(), r.source(), r.trackTotalHits(), r.collapse(), r.sort(),
                r.searchAfter(), r.terminateAfter(), r.ext(), r.knn(), r.aggregations(), r.hitOptions(), r.timeout());
    }

    /** {@code request} with {@code track_total_hits} replaced. */
    static SearchRequest withTrackTotalHits(SearchRequest r, TrackTotalHits track) {
        return new SearchRequest(r.span(), r.index(), r.retriever(), r.query(), r.rescore(), r.from(), r.size(),
                r.minScore(), r.explain(), r.profile(), r.source(), Optional.of(track), r.collapse(), r.sort(),
                r.searchAfter(), r.terminateAfter(), r.ext(), r.knn(), r.aggregations(), r.hitOptions(), r.timeout());
    }
}
