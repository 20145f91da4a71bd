package io.github.agentobservability.export;

import io.github.agentobservability.export.internal.SpanJson;
import io.github.agentobservability.export.internal.TraceTreeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link SpanExporter} printing spans for a developer watching the console.
 * <p>
 * Exists so that an agent's calls, retrievals and costs can be seen while developing,
 * without any backend. In {@link Format#TREE TREE} format, the spans of a trace are
 * buffered until its local root (a span without a parent, or with a remote one) ends, then
 * the whole trace is printed at once as an indented tree. A span ending after its parent
 * was printed is printed on its own, marked {@code (late)}. Buffering is bounded to
 * {@value #MAX_PENDING_TRACES} traces and {@value #MAX_PENDING_SPANS} spans: beyond that,
 * the oldest trace is printed as is, marked {@code (incomplete)}, as are the traces still
 * pending on {@link #flush()} and {@link #shutdown()}. In {@link Format#JSON JSON} format,
 * each span is printed as one line of JSON.
 */
public final class ConsoleSpanExporter implements SpanExporter {

	private static final Log logger = LogFactory.getLog(ConsoleSpanExporter.class);

	static final int MAX_PENDING_TRACES = 1_000;

	static final int MAX_PENDING_SPANS = 10_000;

	static final int MAX_PRINTED_SPAN_IDS = 10_000;

	private final Format format;

	private final Consumer<String> sink;

	/** Ended spans whose local root has not ended yet, by trace id, oldest trace first. */
	private final Map<String, List<SpanData>> pendingTraces = new LinkedHashMap<>();

	private int pendingSpans;

	/** Ids of recently printed spans, to recognize the children that end after them. */
	private final Set<String> printedSpanIds = Collections.newSetFromMap(new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > MAX_PRINTED_SPAN_IDS;
		}

	});

	private boolean shutdown;

	/**
	 * Creates an exporter logging its output at INFO level.
	 * @param format the output format
	 */
	public ConsoleSpanExporter(Format format) {
		this(format, logger::info);
	}

	/**
	 * Creates an exporter handing its output to the given sink: one call per trace in
	 * {@link Format#TREE TREE} format, one call per span in {@link Format#JSON JSON}
	 * format.
	 * @param format the output format
	 * @param sink the consumer of the output
	 */
	public ConsoleSpanExporter(Format format, Consumer<String> sink) {
		this.format = format;
		this.sink = sink;
	}

	@Override
	public synchronized CompletableResultCode export(Collection<SpanData> spans) {
		if (this.shutdown) {
			return CompletableResultCode.ofFailure();
		}
		for (SpanData span : spans) {
			if (this.format == Format.JSON) {
				this.sink.accept(SpanJson.toJson(span));
			}
			else {
				addToTree(span);
			}
		}
		return CompletableResultCode.ofSuccess();
	}

	private void addToTree(SpanData span) {
		SpanContext parent = span.getParentSpanContext();
		if (!parent.isValid() || parent.isRemote()) {
			print(span.getTraceId(), null, takeSubtree(span));
		}
		else if (this.printedSpanIds.contains(parent.getSpanId())) {
			print(span.getTraceId(), "late", takeSubtree(span));
		}
		else {
			this.pendingTraces.computeIfAbsent(span.getTraceId(), (traceId) -> new ArrayList<>()).add(span);
			this.pendingSpans++;
			while (this.pendingTraces.size() > MAX_PENDING_TRACES || this.pendingSpans > MAX_PENDING_SPANS) {
				printOldestPendingTrace();
			}
		}
	}

	/**
	 * Removes the pending descendants of the given span, and returns them with it.
	 */
	private List<SpanData> takeSubtree(SpanData root) {
		List<SpanData> pending = this.pendingTraces.get(root.getTraceId());
		List<SpanData> subtree = new ArrayList<>();
		subtree.add(root);
		if (pending == null) {
			return subtree;
		}
		Map<String, List<SpanData>> children = new HashMap<>();
		for (SpanData span : pending) {
			children.computeIfAbsent(span.getParentSpanId(), (parentId) -> new ArrayList<>()).add(span);
		}
		Deque<String> parentIds = new ArrayDeque<>();
		parentIds.add(root.getSpanId());
		while (!parentIds.isEmpty()) {
			for (SpanData child : children.getOrDefault(parentIds.remove(), List.of())) {
				subtree.add(child);
				parentIds.add(child.getSpanId());
			}
		}
		Set<SpanData> taken = Collections.newSetFromMap(new IdentityHashMap<>());
		taken.addAll(subtree);
		pending.removeIf(taken::contains);
		this.pendingSpans -= subtree.size() - 1;
		if (pending.isEmpty()) {
			this.pendingTraces.remove(root.getTraceId());
		}
		return subtree;
	}

	private void printOldestPendingTrace() {
		Iterator<Map.Entry<String, List<SpanData>>> oldest = this.pendingTraces.entrySet().iterator();
		Map.Entry<String, List<SpanData>> trace = oldest.next();
		oldest.remove();
		this.pendingSpans -= trace.getValue().size();
		print(trace.getKey(), "incomplete", trace.getValue());
	}

	private void print(String traceId, @Nullable String marker, List<SpanData> spans) {
		for (SpanData span : spans) {
			this.printedSpanIds.add(span.getSpanId());
		}
		this.sink.accept(TraceTreeFormatter.format(traceId, marker, spans));
	}

	/**
	 * Prints every pending trace, marked {@code (incomplete)} since its local root has not
	 * ended.
	 * @return a successful result
	 */
	@Override
	public synchronized CompletableResultCode flush() {
		while (!this.pendingTraces.isEmpty()) {
			printOldestPendingTrace();
		}
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public synchronized CompletableResultCode shutdown() {
		flush();
		this.shutdown = true;
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public String toString() {
		return "ConsoleSpanExporter{format=" + this.format + "}";
	}

	/**
	 * Output format of a {@link ConsoleSpanExporter}.
	 */
	public enum Format {

		/**
		 * Each trace as an indented tree of its spans, printed when its local root ends.
		 */
		TREE,

		/**
		 * Each span as one line of JSON, printed as soon as it is exported.
		 */
		JSON

	}

}
