package dev.rankql.cli;

import dev.rankql.engine.eval.Qrels;
import dev.rankql.engine.eval.Query;
import dev.rankql.engine.mapping.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's product catalogue, generated from a seed: products, search queries and graded judgments from a
 * relevance function that text matching alone cannot reproduce.
 *
 * <p>Every product is of one kind (a "desk lamp") with a brand and two traits ("dimmable", "clamp"), or an accessory
 * for a kind ("carry case for desk lamp"), whose title and description repeat the kind's words; each has a price, a
 * star rating, a sales count and a release year. A query asks for a kind, sometimes with a trait. The grade of a
 * product for a query ({@link #grade}) is:
 * <ul>
 *   <li>0 unless the product is of the query's kind (so accessories and other kinds are not relevant, however well
 *       their text matches);
 *   <li>otherwise 1, plus 1 when the query names a trait the product has, plus 1 when the product is a bestseller
 *       (sales in the top 30% of the catalogue and rated at least 4.0 stars), minus 1 when it was released before
 *       {@link #OLD_BEFORE} (never below 1).
 * </ul>
 * BM25 sees the words only: it ranks accessories high and knows nothing of sales, stars or age.
 */
final class DemoCatalogue {

    /** Products released before this year are "old" and lose a grade. */
    static final int OLD_BEFORE = 2019;

    private static final String[][] KINDS = {
        {"lighting", "desk lamp", "dimmable", "clamp", "usb powered", "warm white", "adjustable arm"},
        {"lighting", "floor lamp", "dimmable", "arc", "smart", "warm white", "reading"},
        {"lighting", "led strip", "colour changing", "waterproof", "remote controlled", "two metre", "smart"},
        {"audio", "wireless headphones", "noise cancelling", "foldable", "long battery", "bass boost", "over ear"},
        {"audio", "bluetooth speaker", "waterproof", "portable", "long battery", "bass boost", "stereo"},
        {"audio", "studio microphone", "usb", "condenser", "cardioid", "podcast", "shock mount"},
        {"cables", "usb c cable", "braided", "fast charging", "two metre", "right angle", "data"},
        {"cables", "hdmi cable", "4k", "braided", "gold plated", "two metre", "high speed"},
        {"cables", "ethernet cable", "cat6", "flat", "shielded", "ten metre", "outdoor"},
        {"office", "ergonomic chair", "mesh", "lumbar support", "adjustable", "headrest", "quiet wheels"},
        {"office", "standing desk", "electric", "bamboo", "memory presets", "steel frame", "compact"},
        {"office", "monitor arm", "dual", "gas spring", "clamp", "steel", "cable management"},
        {"kitchen", "coffee grinder", "burr", "ceramic", "manual", "electric", "stainless steel"},
        {"kitchen", "electric kettle", "temperature control", "glass", "one litre", "stainless steel", "quiet"},
        {"kitchen", "espresso machine", "milk frother", "compact", "stainless steel", "pod", "dual boiler"},
        {"computing", "mechanical keyboard", "wireless", "hot swappable", "tenkeyless", "backlit", "quiet"},
        {"computing", "wireless mouse", "ergonomic", "silent", "rechargeable", "vertical", "gaming"},
        {"computing", "laptop stand", "aluminium", "foldable", "adjustable", "ventilated", "portable"},
    };

    private static final String[] ACCESSORIES =
            {"carry case", "replacement parts", "cleaning kit", "wall mount", "protective cover", "spare cable"};
    private static final String[] BRANDS = {"Acme", "Northwind", "Lumen", "Voltix", "Quietude", "Brightwell",
        "Cortado", "Fieldstone", "Halcyon", "Merrow"};

    /**
     * One product.
     *
     * @param kind the kind the product is, or the kind it is an accessory for
     * @param accessory whether it is an accessory rather than the kind itself
     */
    record Product(String id, String title, String description, String brand, String category, String kind,
            List<String> traits, boolean accessory, double price, double rating, int sales, int year) {

        /** The product as an indexable JSON document (id kept as a field, as {@code rankql ingest} reads it). */
        ObjectNode toJson() {
            ObjectNode doc = Json.object();
            doc.put("id", id);
            doc.put("title", title);
            doc.put("description", description);
            doc.put("brand", brand);
            doc.put("category", category);
            doc.put("price", price);
            doc.put("rating", rating);
            doc.put("sales", sales);
            doc.put("year", year);
            return doc;
        }
    }

    /** A query for a kind, optionally with one trait. */
    record DemoQuery(String id, String kind, String trait) {

        String text() {
            return trait.isEmpty() ? kind : trait + " " + kind;
        }
    }

    private final List<Product> products;
    private final List<DemoQuery> queries;
    private final int bestsellerSales;

    private DemoCatalogue(List<Product> products, List<DemoQuery> queries) {
        this.products = List.copyOf(products);
        this.queries = List.copyOf(queries);
        int[] sales = products.stream().mapToInt(Product::sales).sorted().toArray();
        this.bestsellerSales = sales[(int) Math.floor(sales.length * 0.7)];
    }

    /** {@code size} products and the queries, the same for the same seed on every machine. */
    static DemoCatalogue generate(int size, long seed) {
        if (size < 100) {
            throw new IllegalArgumentException("the catalogue needs at least 100 products, got " + size);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Product> products = new ArrayList<>(size);
        for (int n = 1; n <= size; n++) {
            String[] kind = KINDS[random.nextInt(KINDS.length)];
            String brand = BRANDS[random.nextInt(BRANDS.length)];
            double rating = Math.round((1.5 + 3.5 * Math.sqrt(random.nextDouble())) * 10) / 10.0;
            // Sales are heavy-tailed: most products sell little, a few sell a lot.
            int sales = (int) Math.round(Math.exp(random.nextDouble() * 9));
            int year = 2012 + random.nextInt(14);
            double price = Math.round(random.nextDouble(5, 400) * 100) / 100.0;
            String id = String.format(Locale.ROOT, "p%05d", n);
            if (random.nextInt(10) < 3) {
                String accessory = ACCESSORIES[random.nextInt(ACCESSORIES.length)];
                String title = brand + " " + accessory + " for " + kind[1];
                String description = "A " + accessory + " for your " + kind[1] + ". Fits every " + kind[1]
                        + " we know of, including " + kind[2] + " and " + kind[3] + " " + kind[1] + " models.";
                products.add(new Product(id, title, description, brand, "accessories", kind[1], List.of(), true, price,
                        rating, sales, year));
            } else {
                int first = 2 + random.nextInt(5);
                int second = 2 + (first - 2 + 1 + random.nextInt(4)) % 5;
                List<String> traits = List.of(kind[first], kind[second]);
                String title = brand + " " + traits.get(0) + " " + kind[1];
                String description = "The " + brand + " " + kind[1] + ": " + traits.get(0) + ", " + traits.get(1)
                        + " and built for everyday " + kind[0] + " use.";
                products.add(new Product(id, title, description, brand, kind[0], kind[1], traits, false, price, rating,
                        sales, year));
            }
        }
        List<DemoQuery> queries = new ArrayList<>();
        for (String[] kind : KINDS) {
            queries.add(new DemoQuery("", kind[1], ""));
            List<String> traits = new ArrayList<>(Arrays.asList(kind).subList(2, kind.length));
            for (int t = 0; t < 3; t++) {
                queries.add(new DemoQuery("", kind[1], traits.remove(random.nextInt(traits.size()))));
            }
        }
        List<DemoQuery> numbered = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            DemoQuery q = queries.get(i);
            numbered.add(new DemoQuery(String.format(Locale.ROOT, "q%03d", i + 1), q.kind(), q.trait()));
        }
        return new DemoCatalogue(products, numbered);
    }

    List<Product> products() {
        return products;
    }

    /** The queries as evaluation queries. */
    List<Query> queries() {
        return queries.stream().map(q -> new Query(q.id(), q.text())).toList();
    }

    /** The relevance function (see the class comment). */
    int grade(DemoQuery query, Product product) {
        if (product.accessory() || !product.kind().equals(query.kind())) {
            return 0;
        }
        int grade = 1;
        if (!query.trait().isEmpty() && product.traits().contains(query.trait())) {
            grade++;
        }
        if (isBestseller(product)) {
            grade++;
        }
        if (product.year() < OLD_BEFORE) {
            grade--;
        }
        return Math.max(1, grade);
    }

    /** Sales in the top 30% of the catalogue and at least 4.0 stars. */
    boolean isBestseller(Product product) {
        return product.sales() >= bestsellerSales && product.rating() >= 4.0;
    }

    /**
     * The judgments: every product of the query's kind with its grade, and every accessory for that kind with grade
     * 0 (judged, not relevant).
     */
    Qrels qrels() {
        Qrels.Builder builder = Qrels.builder();
        for (DemoQuery query : queries) {
            for (Product product : products) {
                if (product.kind().equals(query.kind())) {
                    builder.add(query.id(), product.id(), grade(query, product));
                }
            }
        }
        return builder.build();
    }
}
