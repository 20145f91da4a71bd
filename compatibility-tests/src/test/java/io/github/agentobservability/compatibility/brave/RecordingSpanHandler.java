package io.github.agentobservability.compatibility.brave;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;

/**
 * Keeps Brave's finished spans, as an application's {@link SpanHandler} bean, which Boot
 * adds to Brave's tracing.
 */
class RecordingSpanHandler extends SpanHandler {

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	@Override
	public boolean end(TraceContext context, MutableSpan span, Cause cause) {
		if (cause == Cause.FINISHED) {
			this.spans.add(span);
		}
		return true;
	}

	MutableSpan named(String name) {
		return this.spans.stream()
			.filter((span) -> name.equals(span.name()))
			.findFirst()
			.orElseThrow(() -> new AssertionError(
					"No Brave span '" + name + "' in " + this.spans.stream().map(MutableSpan::name).toList()));
	}

	/**
	 * Whether a span descends from another, through the spans recorded.
	 */
	boolean descendsFrom(MutableSpan span, MutableSpan ancestor) {
		String parent = span.parentId();
		for (int depth = 0; parent != null && depth < 32; depth++) {
			if (parent.equals(ancestor.id())) {
				return true;
			}
			String current = parent;
			parent = this.spans.stream()
				.filter((candidate) -> current.equals(candidate.id()))
				.map(MutableSpan::parentId)
				.findFirst()
				.orElse(null);
		}
		return false;
	}

}
