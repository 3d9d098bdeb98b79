/**
 * The HTTP benchmark ({@code rankql bench http}): the REST layer of {@code rankql serve} measured against the same
 * searches through the Java API, in one process, on loopback, with several concurrent keep-alive clients.
 */
package dev.rankql.bench.http;
