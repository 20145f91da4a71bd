package io.github.agentobservability.compatibility.brave;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import brave.Span;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;

/**
 * Keeps Brave's finished spans, as an application's {@link SpanHandler} bean, which Boot
 * adds to Brave's tracing, and counts the spans begun but not ended yet.
 */
class RecordingSpanHandler extends SpanHandler {

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	private final AtomicInteger open = new AtomicInteger();

	@Override
	public boolean begin(TraceContext context, MutableSpan span, TraceContext parent) {
		this.open.incrementAndGet();
		return true;
	}

	@Override
	public boolean end(TraceContext context, MutableSpan span, Cause cause) {
		if (cause != Cause.ORPHANED) {
			this.open.decrementAndGet();
		}
		if (cause == Cause.FINISHED) {
			this.spans.add(span);
		}
		return true;
	}

	List<MutableSpan> all() {
		return List.copyOf(this.spans);
	}

	int open() {
		return this.open.get();
	}

	MutableSpan server(String path) {
		return this.spans.stream()
			.filter((span) -> span.kind() == Span.Kind.SERVER && span.name() != null && span.name().endsWith(path))
			.findFirst()
			.orElseThrow(() -> new AssertionError(
					"No Brave server span for " + path + " in " + this.spans.stream().map(MutableSpan::name).toList()));
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
