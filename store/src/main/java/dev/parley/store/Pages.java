package dev.parley.store;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Reads every page of an asynchronous result, without blocking between pages. */
public final class Pages {

    private Pages() {
    }

    public static <T> CompletionStage<List<T>> all(CompletionStage<AsyncResultSet> first, Function<Row, T> map) {
        List<T> out = new ArrayList<>();
        return first.thenCompose(rs -> drain(rs, map, out));
    }

    private static <T> CompletionStage<List<T>> drain(AsyncResultSet rs, Function<Row, T> map, List<T> out) {
        for (Row row : rs.currentPage()) {
            out.add(map.apply(row));
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().thenCompose(next -> drain(next, map, out));
        }
        return CompletableFuture.completedFuture(out);
    }
}
