package io.github.agentobservability.export.internal;

import java.util.List;

import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.micrometer.tracing.otel.bridge.CompositeSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The application's Micrometer {@link SpanExportingPredicate} and {@link SpanFilter}
 * beans, put in front of the starter's exporters with the {@link CompositeSpanExporter}
 * that Spring Boot puts in front of its own: a filter that scrubs personal data from what
 * goes to OTLP also scrubs the JSON-lines file, the console and the recent traces, and a
 * span kept out of OTLP is kept out of them too.
 * <p>
 * {@code SpanReporter}s are not applied: a reporter is a destination, not a hook, and
 * Boot's processor already reports every span to it once; here it would get each span
 * again from every exporter of the starter.
 */
public final class SpanExportHooks {

	private final List<SpanExportingPredicate> predicates;

	private final List<SpanFilter> filters;

	/**
	 * Creates the hooks.
	 * @param predicates the predicates that decide which spans are exported, in order
	 * @param filters the filters that change spans before they are exported, in order
	 */
	public SpanExportHooks(List<SpanExportingPredicate> predicates, List<SpanFilter> filters) {
		this.predicates = List.copyOf(predicates);
		this.filters = List.copyOf(filters);
	}

	/**
	 * Returns an exporter that hands the delegate only the spans every predicate accepts,
	 * as changed by every filter; the delegate itself when there are no hooks, so that
	 * spans are not copied for nothing.
	 * @param exporter the delegate
	 * @return the exporter to use
	 */
	public SpanExporter apply(SpanExporter exporter) {
		if (this.predicates.isEmpty() && this.filters.isEmpty()) {
			return exporter;
		}
		return new CompositeSpanExporter(List.of(exporter), this.predicates, List.of(), this.filters);
	}

}
