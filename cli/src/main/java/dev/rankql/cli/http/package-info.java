/**
 * rankql's Elasticsearch-compatible HTTP API ({@code rankql serve}).
 *
 * <p>{@link dev.rankql.cli.http.RankqlHttpServer} runs the JDK's {@code com.sun.net.httpserver} with one virtual
 * thread per exchange: no extra dependency, HTTP/1.1 keep-alive, and blocking engine calls that cost a virtual thread
 * rather than a platform one. Each request is decoded into a {@code RestRequest}, routed by {@code Router} the way
 * Elasticsearch's REST controller routes (literal segments before placeholders, HEAD served by GET, 405 with the
 * allowed methods, 400 {@code no handler found}), and answered by {@code Endpoints}, which calls the
 * {@link dev.rankql.engine.Engine} and renders Elasticsearch's bodies. Every error, whichever layer finds it, goes
 * through {@link dev.rankql.engine.EsErrors}, so the HTTP API and the CLI answer with the same error bodies.
 *
 * <p>{@link dev.rankql.cli.http.HttpAuth} is the optional gate in front of all of it: with API keys or basic users
 * configured, a request without valid credentials gets Elasticsearch's 401 before its body is read.
 */
package dev.rankql.cli.http;
