package dev.reelcars.catalogue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The catalogue's full-text index: one Lucene document per vehicle and per film, in memory (it is rebuilt with the
 * catalogue at every start). Text is tokenised by Unicode word rules, lower-cased and folded to ASCII where a
 * folding exists, so {@code Amelie} finds {@code Amélie} and Hangul titles are searchable by their words.
 *
 * <p>Every word of a query must match some field (a vehicle's label, make, model, the titles of its films, notes;
 * a film's titles, its vehicles, notes); the last word also matches as a prefix, for typing in the search box.
 * Names weigh more than the titles and notes around them.
 */
final class SearchIndex implements AutoCloseable {
    static final int PAGE_SIZE = 20;
    /** Deeper pages are refused: nobody reads them, and each costs a larger top-k collection. */
    static final int MAX_PAGE = 500;
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2019\u02bc]");
    private static final Map<String, Float> FIELDS = Map.of("name", 4f, "make", 3f, "model", 3f, "related", 1f,
            "notes", 0.5f);

    private final Analyzer analyzer = new FoldingAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;

    SearchIndex() {
        try {
            IndexWriterConfig config = new IndexWriterConfig(analyzer);
            // Bulk rebuilds at start add thousands of documents: flush in larger segments.
            config.setRAMBufferSizeMB(64);
            writer = new IndexWriter(directory, config);
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is indexed of one vehicle or film. */
    record Entry(String id, String type, String name, List<String> names, String make, String model,
            List<String> related, List<String> notes, List<Integer> years, List<String> countries,
            List<String> makes) {
    }

    /** What a search is narrowed to: years (inclusive, null for no bound), a country and a make (null for any). */
    record Filters(Integer yearFrom, Integer yearTo, String country, String make) {
        static final Filters NONE = new Filters(null, null, null, null);
    }

    /**
     * An apostrophe separates words ({@code d'Amélie} is d + amelie), where Unicode's word rules would keep one
     * word; replaced here rather than by a character filter in the analyzer, which costs a regex pass per value.
     */
    static String splitApostrophes(String text) {
        return text.indexOf('\'') < 0 && text.indexOf('\u2019') < 0 && text.indexOf('\u02bc') < 0 ? text
                : APOSTROPHES.matcher(text).replaceAll(" ");
    }

    void put(Entry e) {
        Document doc = new Document();
        doc.add(new StringField("id", e.id(), Field.Store.YES));
        doc.add(new StringField("type", e.type(), Field.Store.YES));
        doc.add(new SortedDocValuesField("sort", new BytesRef(Names.normalise(e.name()))));
        for (String name : e.names()) {
            doc.add(new TextField("name", splitApostrophes(name), Field.Store.NO));
        }
        if (e.make() != null) {
            doc.add(new TextField("make", splitApostrophes(e.make()), Field.Store.NO));
        }
        if (e.model() != null) {
            doc.add(new TextField("model", splitApostrophes(e.model()), Field.Store.NO));
        }
        for (String r : e.related()) {
            doc.add(new TextField("related", splitApostrophes(r), Field.Store.NO));
        }
        for (String n : e.notes()) {
            doc.add(new TextField("notes", splitApostrophes(n), Field.Store.NO));
        }
        for (int year : e.years()) {
            doc.add(new IntPoint("year", year));
        }
        // Filters match the whole normalised name (Škoda = skoda), not words of it.
        for (String c : e.countries()) {
            doc.add(new StringField("country", Names.normalise(c), Field.Store.NO));
        }
        for (String m : e.makes()) {
            doc.add(new StringField("makeKey", Names.normalise(m), Field.Store.NO));
        }
        try {
            writer.updateDocument(new Term("id", e.id()), doc);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    void remove(String id) {
        try {
            writer.deleteDocuments(new Term("id", id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the changes so far visible to searches. */
    void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many vehicles or films ({@code type}) the index holds, as of the last {@link #refresh}. */
    long count(String type) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.count(new TermQuery(new Term("type", type)));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One page of hits. */
    record Page(long total, List<Hit> hits) {
    }

    record Hit(String id, String type) {
    }

    /**
     * @param q words to find (blank: everything, by name)
     * @param filters the film's year (a vehicle: a year it was seen on screen); the vehicle's country (a film: its
     *     own); the vehicle's make (a film: a make seen in it)
     * @param page 1-based
     */
    Page search(String q, Filters filters, int page) {
        Integer yearFrom = filters.yearFrom();
        Integer yearTo = filters.yearTo();
        if (page < 1 || page > MAX_PAGE) {
            throw new IllegalArgumentException("page must be in 1.." + MAX_PAGE + ", got " + page);
        }
        List<String> words = words(q == null ? "" : q);
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(words.isEmpty() ? new MatchAllDocsQuery() : textQuery(words), Occur.MUST);
        if (yearFrom != null || yearTo != null) {
            b.add(IntPoint.newRangeQuery("year", yearFrom == null ? Integer.MIN_VALUE : yearFrom,
                    yearTo == null ? Integer.MAX_VALUE : yearTo), Occur.FILTER);
        }
        if (filters.country() != null) {
            b.add(new TermQuery(new Term("country", Names.normalise(filters.country()))), Occur.FILTER);
        }
        if (filters.make() != null) {
            b.add(new TermQuery(new Term("makeKey", Names.normalise(filters.make()))), Occur.FILTER);
        }
        Query query = b.build();
        Sort sort = words.isEmpty() ? new Sort(new SortField("sort", SortField.Type.STRING))
                : new Sort(SortField.FIELD_SCORE, new SortField("sort", SortField.Type.STRING));
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                int n = page * PAGE_SIZE;
                // One pass that collects the page and counts every hit exactly (no second count() pass).
                TopDocs top = searcher.search(query, new TopFieldCollectorManager(sort, n, Integer.MAX_VALUE));
                long total = top.totalHits.value;
                List<Hit> hits = new ArrayList<>();
                var fields = searcher.storedFields();
                for (int i = (page - 1) * PAGE_SIZE; i < top.scoreDocs.length; i++) {
                    ScoreDoc sd = top.scoreDocs[i];
                    Document d = fields.document(sd.doc);
                    hits.add(new Hit(d.get("id"), d.get("type")));
                }
                return new Page(total, hits);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Query textQuery(List<String> words) {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (int i = 0; i < words.size(); i++) {
            boolean last = i == words.size() - 1;
            List<Query> alternatives = new ArrayList<>();
            for (var f : FIELDS.entrySet()) {
                Term term = new Term(f.getKey(), words.get(i));
                alternatives.add(new BoostQuery(new TermQuery(term), f.getValue()));
                if (last && words.get(i).length() >= 2) {
                    alternatives.add(new BoostQuery(new PrefixQuery(term), f.getValue() / 2));
                }
            }
            all.add(new DisjunctionMaxQuery(alternatives, 0.1f), Occur.MUST);
        }
        return all.build();
    }

    /** The query's words as the index holds them (same tokeniser and folding). */
    private List<String> words(String q) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("name", splitApostrophes(q))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && out.size() < 16) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unicode words, lower case, accents folded. */
    static final class FoldingAnalyzer extends Analyzer {
        @Override
        protected TokenStreamComponents createComponents(String field) {
            Tokenizer tokenizer = new StandardTokenizer();
            return new TokenStreamComponents(tokenizer, new ASCIIFoldingFilter(new LowerCaseFilter(tokenizer)));
        }

        @Override
        protected TokenStream normalize(String field, TokenStream in) {
            return new ASCIIFoldingFilter(new LowerCaseFilter(in));
        }
    }
}
