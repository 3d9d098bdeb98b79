/**
 * The {@code rankql} command line, built on picocli.
 *
 * <p>{@link dev.rankql.cli.Main} builds the command tree under {@link dev.rankql.cli.RankqlCommand} and maps every
 * outcome to one of the {@link dev.rankql.cli.ExitCodes}: picocli's usage errors to 2, a
 * {@link dev.rankql.cli.CommandFailure} to the status it carries, anything unexpected to 1 with a stack trace.
 * A command is a {@code Callable<Integer>} annotated with {@code mixinStandardHelpOptions = true} and a footer of
 * examples, registered in {@code Main}; it writes its result through {@link dev.rankql.cli.Output} and throws
 * {@code CommandFailure} for anything the user must fix. The global {@code --data} option is inherited by every
 * subcommand and resolved only by commands that open an index, so that the others never create or lock a data
 * directory.
 *
 * <p>The commands that answer like Elasticsearch — {@code index}, {@code ingest}, {@code search}, {@code explain} —
 * open the engine for the length of one command through {@code Engines}, print ES's response bodies, and turn every
 * request error, whether the engine, the DSL parser or the JSON reader found it, into ES's error body on stdout
 * ({@code EsErrors}), with the exit code its HTTP status maps to. {@code translate} works on text alone. Long work reports its progress
 * through {@code Progress}, which draws only on a terminal.
 *
 * <p>The relevance loop is four commands over the same pieces. {@code TemplateSearches} reads queries, judgments and
 * request templates and runs a template once per query; {@code eval} scores those rankings with trec_eval's metrics
 * (and a randomization test against {@code --compare}), {@code run} writes them as a TREC run file, and
 * {@code train} hands them to {@code LtrTraining}, which logs features with the rescorer's extractors, splits the
 * queries, trains with the train module and deploys the model. {@code demo} strings all of it together on a
 * generated catalogue ({@code DemoCatalogue}) or a collection on disk, and {@code Reports} draws the HTML report and
 * its plots ({@code Plots}) for {@code eval} and {@code train}.
 */
package dev.rankql.cli;
