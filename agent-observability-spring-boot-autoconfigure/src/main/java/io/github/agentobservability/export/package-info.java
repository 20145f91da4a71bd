/**
 * OpenTelemetry {@code SpanExporter}s of the starter: the development console tree and
 * the JSON-lines file for offline analysis. Each runs behind its own batch span processor
 * so that a slow backend never delays the others or the application.
 */
@NullMarked
package io.github.agentobservability.export;

import org.jspecify.annotations.NullMarked;
