package dev.rankql.engine.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.bg.BulgarianAnalyzer;
import org.apache.lucene.analysis.bn.BengaliAnalyzer;
import org.apache.lucene.analysis.br.BrazilianAnalyzer;
import org.apache.lucene.analysis.ca.CatalanAnalyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.ckb.SoraniAnalyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.StopAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.cz.CzechAnalyzer;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.et.EstonianAnalyzer;
import org.apache.lucene.analysis.eu.BasqueAnalyzer;
import org.apache.lucene.analysis.fa.PersianAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.ga.IrishAnalyzer;
import org.apache.lucene.analysis.gl.GalicianAnalyzer;
import org.apache.lucene.analysis.hi.HindiAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.hy.ArmenianAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.lt.LithuanianAnalyzer;
import org.apache.lucene.analysis.lv.LatvianAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.sr.SerbianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;

/**
 * The built-in analyzers, by their Elasticsearch names; each is created once and shared, as Lucene analyzers are
 * thread-safe.
 */
public final class Analyzers {

    private static final Map<String, Supplier<Analyzer>> FACTORIES = new TreeMap<>();

    static {
        // Elasticsearch's standard analyzer has no stop words, like Lucene's no-argument StandardAnalyzer.
        FACTORIES.put("standard", StandardAnalyzer::new);
        FACTORIES.put("simple", SimpleAnalyzer::new);
        FACTORIES.put("whitespace", WhitespaceAnalyzer::new);
        FACTORIES.put("keyword", KeywordAnalyzer::new);
        FACTORIES.put("stop", () -> new StopAnalyzer(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET));
        FACTORIES.put("english", EnglishAnalyzer::new);
        FACTORIES.put("arabic", ArabicAnalyzer::new);
        FACTORIES.put("armenian", ArmenianAnalyzer::new);
        FACTORIES.put("basque", BasqueAnalyzer::new);
        FACTORIES.put("bengali", BengaliAnalyzer::new);
        FACTORIES.put("brazilian", BrazilianAnalyzer::new);
        FACTORIES.put("bulgarian", BulgarianAnalyzer::new);
        FACTORIES.put("catalan", CatalanAnalyzer::new);
        FACTORIES.put("cjk", CJKAnalyzer::new);
        FACTORIES.put("czech", CzechAnalyzer::new);
        FACTORIES.put("danish", DanishAnalyzer::new);
        FACTORIES.put("dutch", DutchAnalyzer::new);
        FACTORIES.put("estonian", EstonianAnalyzer::new);
        FACTORIES.put("finnish", FinnishAnalyzer::new);
        FACTORIES.put("french", FrenchAnalyzer::new);
        FACTORIES.put("galician", GalicianAnalyzer::new);
        FACTORIES.put("german", GermanAnalyzer::new);
        FACTORIES.put("greek", GreekAnalyzer::new);
        FACTORIES.put("hindi", HindiAnalyzer::new);
        FACTORIES.put("hungarian", HungarianAnalyzer::new);
        FACTORIES.put("indonesian", IndonesianAnalyzer::new);
        FACTORIES.put("irish", IrishAnalyzer::new);
        FACTORIES.put("italian", ItalianAnalyzer::new);
        FACTORIES.put("latvian", LatvianAnalyzer::new);
        FACTORIES.put("lithuanian", LithuanianAnalyzer::new);
        FACTORIES.put("norwegian", NorwegianAnalyzer::new);
        FACTORIES.put("persian", PersianAnalyzer::new);
        FACTORIES.put("portuguese", PortugueseAnalyzer::new);
        FACTORIES.put("romanian", RomanianAnalyzer::new);
        FACTORIES.put("russian", RussianAnalyzer::new);
        FACTORIES.put("serbian", SerbianAnalyzer::new);
        FACTORIES.put("sorani", SoraniAnalyzer::new);
        FACTORIES.put("spanish", SpanishAnalyzer::new);
        FACTORIES.put("swedish", SwedishAnalyzer::new);
        FACTORIES.put("thai", ThaiAnalyzer::new);
        FACTORIES.put("turkish", TurkishAnalyzer::new);
    }

    private static final Map<String, Analyzer> INSTANCES = new ConcurrentHashMap<>();

    private Analyzers() {}

    /** Whether {@code name} is a built-in analyzer. */
    public static boolean exists(String name) {
        return FACTORIES.containsKey(name);
    }

    /** The shared analyzer named {@code name}, if it is built in. */
    public static Optional<Analyzer> get(String name) {
        var factory = FACTORIES.get(name);
        if (factory == null) {
            return Optional.empty();
        }
        return Optional.of(INSTANCES.computeIfAbsent(name, n -> factory.get()));
    }

    /** The shared analyzer named {@code name}; the caller has checked that it exists. */
    public static Analyzer require(String name) {
        // Called for every text field of every document indexed: a lock-free read before the general lookup.
        var shared = INSTANCES.get(name);
        if (shared != null) {
            return shared;
        }
        return get(name).orElseThrow(() -> new IllegalStateException("unknown analyzer [" + name + "]"));
    }

    /**
     * Adds the terms the built-in analyzer {@code name} makes of {@code text} to {@code counts}, each with the number
     * of times it occurs, as an indexed field would hold them.
     *
     * @throws IllegalArgumentException when no built-in analyzer has that name
     */
    public static void countTerms(String name, String text, Map<String, Integer> counts) {
        var analyzer = get(name).orElseThrow(() -> new IllegalArgumentException("unknown analyzer [" + name
                + "]; the built-in analyzers are " + FACTORIES.keySet()));
        try (TokenStream tokens = analyzer.tokenStream("", text)) {
            var term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                counts.merge(term.toString(), 1, Integer::sum);
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing a string cannot fail, but did", e);
        }
    }
}
