package io.github.agentobservability.export;

import io.github.agentobservability.export.OpenSpans;
import io.github.agentobservability.export.internal.SpanJson;
import io.github.agentobservability.export.internal.TraceTreeFormatter;
import java.time.Duration;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * buffered and the whole trace is printed at once as an indented tree: given the
 * {@link OpenSpans} that counts the spans of each trace still to come, once its local
 * root (a span without a parent, or with a remote one) and every span started in the
 * trace have ended; otherwise when its local root ends. A span still open
 * {@code lateSpanWait} after the local root reached the exporter is not waited for: the
 * trace is printed without it, marked {@code (1 span still open)}, and the span, when it
 * ends, on its own, marked {@code (late)}. Buffering is bounded to
 * {@value #MAX_PENDING_TRACES} traces and {@value #MAX_PENDING_SPANS} spans: beyond that,
 * the oldest trace is printed as is, marked {@code (incomplete)} when its local root has
 * not ended, as are the traces still pending on {@link #flush()} and {@link #shutdown()}.
 * In {@link Format#JSON JSON} format, each span is printed as one line of JSON.
 */
public final class ConsoleSpanExporter implements SpanExporter {

	private static final Log logger = LogFactory.getLog(ConsoleSpanExporter.class);

	static final int MAX_PENDING_TRACES = 1_000;

	static final int MAX_PENDING_SPANS = 10_000;

	static final int MAX_PRINTED_SPAN_IDS = 10_000;

	private final Format format;

	private final Consumer<String> sink;

	private final @Nullable OpenSpans openSpans;

	private final long lateSpanWaitNanos;

	/** Ended spans not printed yet, by trace id, oldest trace first. */
	private final Map<String, PendingTrace> pendingTraces = new LinkedHashMap<>();

	private int pendingSpans;

	/** Ids of recently printed spans, to recognize the children that end after them. */
	private final Set<String> printedSpanIds = Collections.newSetFromMap(new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > MAX_PRINTED_SPAN_IDS;
		}

	});

	/** Wakes the exporter when a trace has waited long enough; started on first use. */
	private @Nullable ScheduledExecutorService timer;

	private boolean shutdown;

	/**
	 * Creates an exporter logging its output at INFO level, printing a trace when its
	 * local root ends.
	 * @param format the output format
	 */
	public ConsoleSpanExporter(Format format) {
		this(format, logger::info);
	}

	/**
	 * Creates an exporter handing its output to the given sink, printing a trace when its
	 * local root ends: one call per trace in {@link Format#TREE TREE} format, one call per
	 * span in {@link Format#JSON JSON} format.
	 * @param format the output format
	 * @param sink the consumer of the output
	 */
	public ConsoleSpanExporter(Format format, Consumer<String> sink) {
		this(format, sink, null, Duration.ZERO);
	}

	/**
	 * Creates an exporter logging its output at INFO level, printing a trace once every
	 * span started in it has ended.
	 * @param format the output format
	 * @param openSpans the counter of the spans of each trace still to come, registered
	 * with the tracer provider ahead of this exporter's span processor
	 * @param lateSpanWait how long to wait for the spans still open once a trace's local
	 * root has ended
	 */
	public ConsoleSpanExporter(Format format, OpenSpans openSpans, Duration lateSpanWait) {
		this(format, logger::info, openSpans, lateSpanWait);
	}

	/**
	 * Creates an exporter handing its output to the given sink, printing a trace once
	 * every span started in it has ended (without {@code openSpans}, when its local root
	 * ends).
	 * @param format the output format
	 * @param sink the consumer of the output
	 * @param openSpans the counter of the spans of each trace still to come, registered
	 * with the tracer provider ahead of this exporter's span processor, or {@code null}
	 * @param lateSpanWait how long to wait for the spans still open once a trace's local
	 * root has ended
	 */
	public ConsoleSpanExporter(Format format, Consumer<String> sink, @Nullable OpenSpans openSpans,
			Duration lateSpanWait) {
		this.format = format;
		this.sink = sink;
		this.openSpans = openSpans;
		this.lateSpanWaitNanos = lateSpanWait.toNanos();
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
		if (this.format == Format.TREE) {
			printArrivedTraces(true);
		}
		return CompletableResultCode.ofSuccess();
	}

	private void addToTree(SpanData span) {
		SpanContext parent = span.getParentSpanContext();
		boolean localRoot = !parent.isValid() || parent.isRemote();
		if (!localRoot && this.printedSpanIds.contains(parent.getSpanId())) {
			print(span.getTraceId(), "late", takeSubtrees(span.getTraceId(), List.of(span)));
			return;
		}
		PendingTrace trace = this.pendingTraces.computeIfAbsent(span.getTraceId(), (traceId) -> new PendingTrace());
		trace.spans.add(span);
		this.pendingSpans++;
		if (localRoot) {
			if (trace.roots.isEmpty()) {
				trace.deadline = System.nanoTime() + this.lateSpanWaitNanos;
			}
			trace.roots.add(span);
		}
		while (this.pendingTraces.size() > MAX_PENDING_TRACES || this.pendingSpans > MAX_PENDING_SPANS) {
			printOldestPendingTrace();
		}
	}

	/**
	 * Prints the traces whose local root has ended and that have nothing more to come, or
	 * have waited long enough: those with spans still open at once, those whose spans
	 * ended but have not arrived (still in the batch processor's queue, or dropped by it)
	 * after the next batch.
	 * @param exported whether a batch was just exported
	 */
	private void printArrivedTraces(boolean exported) {
		long now = System.nanoTime();
		Map<String, @Nullable String> printable = new LinkedHashMap<>();
		this.pendingTraces.forEach((traceId, trace) -> {
			if (trace.roots.isEmpty()) {
				return;
			}
			OpenSpans.Remaining remaining = remaining(traceId);
			if (remaining.undelivered() == 0) {
				printable.put(traceId, null);
			}
			else if ((exported && trace.overdue) || (now - trace.deadline >= 0 && remaining.open() > 0)) {
				printable.put(traceId, missing(remaining));
			}
			else if (now - trace.deadline >= 0) {
				trace.overdue = true;
			}
			else if (!trace.checkScheduled) {
				trace.checkScheduled = true;
				timer().schedule(this::printTracesWaitedFor, trace.deadline - now, TimeUnit.NANOSECONDS);
			}
		});
		printable.forEach((traceId, marker) -> {
			PendingTrace trace = this.pendingTraces.get(traceId);
			List<SpanData> roots = List.copyOf(trace.roots);
			trace.roots.clear();
			trace.overdue = false;
			trace.checkScheduled = false;
			forget(traceId);
			print(traceId, marker, takeSubtrees(traceId, roots));
		});
	}

	private synchronized void printTracesWaitedFor() {
		if (!this.shutdown) {
			printArrivedTraces(false);
		}
	}

	private OpenSpans.Remaining remaining(String traceId) {
		return (this.openSpans != null) ? this.openSpans.remaining(traceId) : new OpenSpans.Remaining(0, 0);
	}

	private void forget(String traceId) {
		if (this.openSpans != null) {
			this.openSpans.forget(traceId);
		}
	}

	/**
	 * What a trace printed before all of it arrived lacks, as its marker.
	 */
	private static @Nullable String missing(OpenSpans.Remaining remaining) {
		if (remaining.open() > 0) {
			return spans(remaining.open()) + " still open";
		}
		return (remaining.undelivered() > 0) ? spans(remaining.undelivered()) + " missing" : null;
	}

	private static String spans(int count) {
		return count + ((count == 1) ? " span" : " spans");
	}

	private ScheduledExecutorService timer() {
		ScheduledExecutorService timer = this.timer;
		if (timer == null) {
			timer = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "agent-observability-console");
				thread.setDaemon(true);
				return thread;
			});
			this.timer = timer;
		}
		return timer;
	}

	/**
	 * Removes the given spans' pending descendants, and returns them with the spans.
	 */
	private List<SpanData> takeSubtrees(String traceId, List<SpanData> roots) {
		List<SpanData> subtree = new ArrayList<>(roots);
		PendingTrace trace = this.pendingTraces.get(traceId);
		if (trace == null) {
			return subtree;
		}
		Map<String, List<SpanData>> children = new HashMap<>();
		for (SpanData span : trace.spans) {
			children.computeIfAbsent(span.getParentSpanId(), (parentId) -> new ArrayList<>()).add(span);
		}
		Deque<String> parentIds = new ArrayDeque<>();
		roots.forEach((root) -> parentIds.add(root.getSpanId()));
		while (!parentIds.isEmpty()) {
			for (SpanData child : children.getOrDefault(parentIds.remove(), List.of())) {
				subtree.add(child);
				parentIds.add(child.getSpanId());
			}
		}
		Set<SpanData> taken = Collections.newSetFromMap(new IdentityHashMap<>());
		taken.addAll(subtree);
		int pending = trace.spans.size();
		trace.spans.removeIf(taken::contains);
		this.pendingSpans -= pending - trace.spans.size();
		if (trace.spans.isEmpty()) {
			this.pendingTraces.remove(traceId);
		}
		return subtree;
	}

	private void printOldestPendingTrace() {
		Iterator<Map.Entry<String, PendingTrace>> oldest = this.pendingTraces.entrySet().iterator();
		Map.Entry<String, PendingTrace> entry = oldest.next();
		oldest.remove();
		PendingTrace trace = entry.getValue();
		this.pendingSpans -= trace.spans.size();
		String marker = trace.roots.isEmpty() ? "incomplete" : missing(remaining(entry.getKey()));
		forget(entry.getKey());
		print(entry.getKey(), marker, trace.spans);
	}

	private void print(String traceId, @Nullable String marker, List<SpanData> spans) {
		for (SpanData span : spans) {
			this.printedSpanIds.add(span.getSpanId());
		}
		this.sink.accept(TraceTreeFormatter.format(traceId, marker, spans));
	}

	/**
	 * Prints every pending trace: marked {@code (incomplete)} when its local root has not
	 * ended, with the number of spans still open when they are all it waits for.
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
		if (this.timer != null) {
			this.timer.shutdownNow();
		}
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
		 * Each trace as an indented tree of its spans, printed when all of it has ended.
		 */
		TREE,

		/**
		 * Each span as one line of JSON, printed as soon as it is exported.
		 */
		JSON

	}

	/**
	 * The ended spans of one trace not printed yet.
	 */
	private static final class PendingTrace {

		private final List<SpanData> spans = new ArrayList<>();

		/** The local roots among them, whose trees wait for the spans still to come. */
		private final List<SpanData> roots = new ArrayList<>();

		/** When the wait for spans still open ends, on the {@link System#nanoTime()} clock. */
		private long deadline;

		/** Whether every span ended in time but some have not arrived yet. */
		private boolean overdue;

		private boolean checkScheduled;

	}

}
