package io.github.agentobservability.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.export.OpenSpans;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.agentobservability.export.ConsoleSpanExporter.Format;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConsoleSpanExporter}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsoleSpanExporterTests {

	private final List<String> output = new ArrayList<>();

	private final List<SdkTracerProvider> tracerProviders = new ArrayList<>();

	private final OpenSpans openSpans = new OpenSpans(false);

	@AfterEach
	void closeTracerProviders() {
		this.tracerProviders.forEach(SdkTracerProvider::close);
	}

	@Test
	void nothingIsPrintedBeforeTheLocalRootEnds() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		Span root = tracer.spanBuilder("root").startSpan();
		Span child = childOf(tracer, root, "child").startSpan();
		childOf(tracer, child, "grandchild").startSpan().end();
		child.end();
		assertThat(this.output).isEmpty();
	}

	@Test
	void traceIsPrintedAsOneIndentedTreeWhenAllOfItHasEnded() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		Span root = tracer.spanBuilder("invoke_agent rag")
			.setStartTimestamp(nanos(0), TimeUnit.NANOSECONDS)
			.startSpan();
		root.setStatus(StatusCode.OK);
		Span retrieval = childOf(tracer, root, "retrieval")
			.setStartTimestamp(nanos(10), TimeUnit.NANOSECONDS)
			.setAttribute("retrieval.doc_count", 4L)
			.startSpan();
		childOf(tracer, retrieval, "embed")
			.setStartTimestamp(nanos(11), TimeUnit.NANOSECONDS)
			.startSpan()
			.end(nanos(13), TimeUnit.NANOSECONDS);
		retrieval.end(nanos(22.3), TimeUnit.NANOSECONDS);
		childOf(tracer, root, "chat gpt-4o-mini")
			.setStartTimestamp(nanos(30), TimeUnit.NANOSECONDS)
			.setAttribute("gen_ai.usage.input_tokens", 812L)
			.startSpan()
			.end(nanos(1230), TimeUnit.NANOSECONDS);
		root.end(nanos(1234.5), TimeUnit.NANOSECONDS);
		String traceId = root.getSpanContext().getTraceId();
		assertThat(this.output).containsExactly("""
				trace %s
				└─ invoke_agent rag  1234.5 ms  OK
				   ├─ retrieval  12.3 ms  UNSET  retrieval.doc_count=4
				   │  └─ embed  2.0 ms  UNSET
				   └─ chat gpt-4o-mini  1200.0 ms  UNSET  gen_ai.usage.input_tokens=812"""
			.formatted(traceId));
	}

	@Test
	void childrenAreSortedByStartTime() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		Span root = tracer.spanBuilder("root").startSpan();
		Span first = childOf(tracer, root, "first").startSpan();
		childOf(tracer, root, "second").startSpan().end();
		first.end();
		root.end();
		assertThat(this.output).singleElement().satisfies((tree) -> assertThat(tree.indexOf("first"))
			.isLessThan(tree.indexOf("second")));
	}

	@Test
	void spansOfDifferentTracesArePrintedSeparately() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		Span one = tracer.spanBuilder("one").startSpan();
		Span two = tracer.spanBuilder("two").startSpan();
		childOf(tracer, one, "child of one").startSpan().end();
		childOf(tracer, two, "child of two").startSpan().end();
		one.end();
		two.end();
		assertThat(this.output).satisfiesExactly(
				(tree) -> assertThat(tree).contains("child of one").doesNotContain("two"),
				(tree) -> assertThat(tree).contains("child of two").doesNotContain("one"));
	}

	@Test
	void errorSpanShowsItsStatusMessageAndException() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		Span span = tracer.spanBuilder("chat").startSpan();
		span.recordException(new IllegalStateException("model unavailable"));
		span.setStatus(StatusCode.ERROR, "call failed");
		span.end();
		assertThat(this.output).singleElement()
			.asString()
			.contains("ERROR (call failed)  java.lang.IllegalStateException: model unavailable");
	}

	@Test
	void doubleAttributesAreShownInPlainNotation() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		tracer.spanBuilder("root").setAttribute("gen_ai.usage.cost.amount", 0.000179).startSpan().end();
		assertThat(this.output).singleElement().asString().endsWith("gen_ai.usage.cost.amount=0.000179");
	}

	@Test
	void eachAttributeTypeReadsAsItsType() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		tracer.spanBuilder("root")
			.setAttribute("a.string", "bm25")
			.setAttribute("a.numeric_string", "3")
			.setAttribute("a.long", 3L)
			.setAttribute("a.double", 0.5)
			.setAttribute("a.boolean", true)
			.setAttribute("a.boolean_string", "true")
			.setAttribute(AttributeKey.stringArrayKey("a.strings"), List.of("stop", "42"))
			.setAttribute(AttributeKey.longArrayKey("a.longs"), List.of(1L, 2L))
			.setAttribute(AttributeKey.doubleArrayKey("a.doubles"), List.of(0.25))
			.setAttribute(AttributeKey.booleanArrayKey("a.booleans"), List.of(false))
			.startSpan()
			.end();
		assertThat(this.output).singleElement()
			.extracting((tree) -> List.of(tree.split("  ")))
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
			.contains("a.string=bm25", "a.numeric_string=\"3\"", "a.long=3", "a.double=0.5", "a.boolean=true",
					"a.boolean_string=\"true\"", "a.strings=[stop, \"42\"]", "a.longs=[1, 2]", "a.doubles=[0.25]",
					"a.booleans=[false]");
	}

	@Test
	void noisyAttributesAreLeftOutAndKeyOnesComeFirst() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		tracer.spanBuilder("root")
			.setAttribute("code.function", "invoke")
			.setAttribute("thread.name", "main")
			.setAttribute("spring.ai.kind", "advisor")
			.setAttribute("gen_ai.request.model", "gpt-4o-mini")
			.setAttribute("zeta", "last")
			.setAttribute("gen_ai.usage.input_tokens", 812L)
			.startSpan()
			.end();
		assertThat(this.output).singleElement()
			.asString()
			.contains("UNSET  gen_ai.usage.input_tokens=812  zeta=last")
			.doesNotContain("code.", "thread.", "spring.ai.", "gen_ai.request.");
	}

	@Test
	void longStringValuesAreCut() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		tracer.spanBuilder("root").setAttribute("prompt", "a".repeat(80) + "b".repeat(20)).startSpan().end();
		assertThat(this.output).singleElement().asString().endsWith("prompt=" + "a".repeat(80) + "…");
	}

	@Test
	void lineBreaksInValuesDoNotBreakTheTree() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		tracer.spanBuilder("root").setAttribute("prompt", "first\nsecond").startSpan().end();
		assertThat(this.output).singleElement().asString().hasLineCount(2).contains("prompt=first second");
	}

	@Test
	void spanWithARemoteParentIsALocalRoot() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		SpanContext remoteParent = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
				"00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
		tracer.spanBuilder("http post /chat")
			.setParent(Context.root().with(Span.wrap(remoteParent)))
			.startSpan()
			.end();
		assertThat(this.output).singleElement()
			.asString()
			.startsWith("trace 4bf92f3577b34da6a3ce929d0e0e4736\n")
			.contains("http post /chat");
	}

	@Test
	void spanEndingAfterItsLocalRootIsPrintedInTheSameTree() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		Span root = tracer.spanBuilder("http post /api/ask/stream").startSpan();
		Span stream = childOf(tracer, root, "chat gpt-4o-mini").startSpan();
		root.end();
		assertThat(this.output).isEmpty();
		stream.end();
		assertThat(this.output).singleElement()
			.asString()
			.startsWith("trace " + root.getSpanContext().getTraceId() + "\n")
			.contains("└─ http post /api/ask/stream", "   └─ chat gpt-4o-mini");
	}

	@Test
	void spanStillOpenWhenTheWaitEndsIsCountedAndPrintedLateWhenItEnds() {
		Tracer tracer = tracer(tree(Duration.ZERO));
		Span root = tracer.spanBuilder("root").startSpan();
		Span child = childOf(tracer, root, "async child").startSpan();
		root.end();
		assertThat(this.output).singleElement()
			.asString()
			.startsWith("trace " + root.getSpanContext().getTraceId() + " (1 span still open)\n")
			.doesNotContain("async child");
		child.end();
		assertThat(this.output).hasSize(2);
		assertThat(this.output.get(1)).startsWith("trace " + root.getSpanContext().getTraceId() + " (late)")
			.contains("async child");
	}

	@Test
	void traceWithASpanThatNeverEndsIsPrintedWhenTheWaitEnds() {
		Tracer tracer = tracer(tree(Duration.ofMillis(50)));
		Span root = tracer.spanBuilder("root").startSpan();
		childOf(tracer, root, "never ends").startSpan();
		childOf(tracer, root, "never ends either").startSpan();
		childOf(tracer, root, "ended").startSpan().end();
		root.end();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.output).singleElement()
				.asString()
				.startsWith("trace " + root.getSpanContext().getTraceId() + " (2 spans still open)\n")
				.contains("└─ root", "ended")
				.doesNotContain("never ends"));
	}

	@Test
	void traceWaitsForSpansThatEndedButAreStillOnTheirWay() {
		List<SpanData> ended = new ArrayList<>();
		Tracer tracer = tracer(SimpleSpanProcessor.create(new CapturingExporter(ended)));
		SpanExporter exporter = this.openSpans.delivering(tree(Duration.ZERO));
		Span root = tracer.spanBuilder("root").startSpan();
		Span child = childOf(tracer, root, "child").startSpan();
		root.end();
		child.end();
		exporter.export(List.of(ended.get(0)));
		assertThat(this.output).isEmpty();
		exporter.export(List.of(ended.get(1)));
		assertThat(this.output).singleElement()
			.asString()
			.startsWith("trace " + root.getSpanContext().getTraceId() + "\n")
			.contains("└─ root", "   └─ child");
	}

	@Test
	void traceMissingASpanThatEndedIsPrintedAfterTheNextBatch() {
		List<SpanData> ended = new ArrayList<>();
		Tracer tracer = tracer(SimpleSpanProcessor.create(new CapturingExporter(ended)));
		SpanExporter exporter = this.openSpans.delivering(tree(Duration.ZERO));
		Span root = tracer.spanBuilder("root").startSpan();
		childOf(tracer, root, "dropped by a full queue").startSpan().end();
		root.end();
		tracer.spanBuilder("other").startSpan().end();
		exporter.export(List.of(ended.get(1)));
		assertThat(this.output).isEmpty();
		exporter.export(List.of(ended.get(2)));
		assertThat(this.output).first()
			.asString()
			.startsWith("trace " + root.getSpanContext().getTraceId() + " (1 span missing)\n")
			.doesNotContain("dropped");
	}

	@Test
	void withoutOpenSpansATraceIsPrintedWhenItsLocalRootEndsAndLaterSpansLate() {
		Tracer tracer = tracer(new ConsoleSpanExporter(Format.TREE, this.output::add));
		Span root = tracer.spanBuilder("root").startSpan();
		Span child = childOf(tracer, root, "async child").startSpan();
		root.end();
		child.end();
		assertThat(this.output).hasSize(2);
		assertThat(this.output.get(0)).startsWith("trace " + root.getSpanContext().getTraceId() + "\n");
		assertThat(this.output.get(1)).startsWith("trace " + root.getSpanContext().getTraceId() + " (late)")
			.contains("async child");
	}

	@Test
	void traceWhoseRootNeverEndsIsPrintedIncompleteOnFlush() {
		ConsoleSpanExporter exporter = tree(Duration.ofMinutes(1));
		Tracer tracer = tracer(exporter);
		Span root = tracer.spanBuilder("root").startSpan();
		childOf(tracer, root, "child").startSpan().end();
		exporter.flush();
		assertThat(this.output).singleElement()
			.asString()
			.startsWith("trace " + root.getSpanContext().getTraceId() + " (incomplete)")
			.contains("child");
	}

	@Test
	void flushPrintsATraceWaitingForOpenSpansWithTheirCount() {
		ConsoleSpanExporter exporter = tree(Duration.ofMinutes(1));
		Tracer tracer = tracer(exporter);
		Span root = tracer.spanBuilder("root").startSpan();
		childOf(tracer, root, "open").startSpan();
		root.end();
		exporter.flush();
		assertThat(this.output).singleElement()
			.asString()
			.startsWith("trace " + root.getSpanContext().getTraceId() + " (1 span still open)\n");
	}

	@Test
	void flushPrintsNothingWhenNoTraceIsPending() {
		ConsoleSpanExporter exporter = tree(Duration.ofMinutes(1));
		tracer(exporter).spanBuilder("root").startSpan().end();
		exporter.flush();
		assertThat(this.output).hasSize(1);
	}

	@Test
	void shutdownPrintsPendingTraces() {
		ConsoleSpanExporter exporter = tree(Duration.ofMinutes(1));
		Tracer tracer = tracer(exporter);
		childOf(tracer, tracer.spanBuilder("root").startSpan(), "child").startSpan().end();
		Span waiting = tracer.spanBuilder("waiting").startSpan();
		childOf(tracer, waiting, "open").startSpan();
		waiting.end();
		exporter.shutdown();
		assertThat(this.output).satisfiesExactly((tree) -> assertThat(tree).contains("(incomplete)"),
				(tree) -> assertThat(tree).contains("(1 span still open)", "waiting"));
	}

	@Test
	void oldestPendingTraceIsPrintedWhenTooManyTracesArePending() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		List<String> traceIds = new ArrayList<>();
		for (int i = 0; i <= ConsoleSpanExporter.MAX_PENDING_TRACES; i++) {
			Span root = tracer.spanBuilder("root").startSpan();
			childOf(tracer, root, "child").startSpan().end();
			traceIds.add(root.getSpanContext().getTraceId());
		}
		assertThat(this.output).singleElement()
			.asString()
			.startsWith("trace " + traceIds.get(0) + " (incomplete)");
	}

	@Test
	void oldestPendingTraceIsPrintedWhenTooManySpansArePending() {
		Tracer tracer = tracer(tree(Duration.ofMinutes(1)));
		Span oldest = tracer.spanBuilder("oldest").startSpan();
		childOf(tracer, oldest, "child").startSpan().end();
		Span large = tracer.spanBuilder("large").startSpan();
		for (int i = 0; i < ConsoleSpanExporter.MAX_PENDING_SPANS; i++) {
			childOf(tracer, large, "child").startSpan().end();
		}
		assertThat(this.output).singleElement()
			.asString()
			.startsWith("trace " + oldest.getSpanContext().getTraceId() + " (incomplete)");
	}

	@Test
	void exportAfterShutdownFails() {
		ConsoleSpanExporter exporter = tree(Duration.ofMinutes(1));
		exporter.shutdown();
		assertThat(exporter.export(List.of()).isSuccess()).isFalse();
	}

	@Test
	void jsonFormatPrintsOneParseableLinePerSpan() {
		Tracer tracer = tracer(new ConsoleSpanExporter(Format.JSON, this.output::add));
		Span root = tracer.spanBuilder("root").startSpan();
		childOf(tracer, root, "child").startSpan().end();
		root.end();
		JsonMapper mapper = JsonMapper.builder().build();
		assertThat(this.output).hasSize(2)
			.extracting((line) -> mapper.readTree(line))
			.extracting((JsonNode json) -> json.get("name").stringValue())
			.containsExactly("child", "root");
	}

	@Test
	void jsonFormatPrintsEachSpanAsItEndsWithoutWaitingForOpenSpans() {
		Tracer tracer = tracer(new ConsoleSpanExporter(Format.JSON, this.output::add, this.openSpans,
				Duration.ofMinutes(1)));
		Span root = tracer.spanBuilder("root").startSpan();
		childOf(tracer, root, "open").startSpan();
		root.end();
		assertThat(this.output).singleElement().asString().contains("\"name\":\"root\"");
	}

	@Test
	void defaultSinkLogsAtInfoLevel(CapturedOutput output) {
		tracer(new ConsoleSpanExporter(Format.TREE)).spanBuilder("logged root").startSpan().end();
		assertThat(output).containsPattern("INFO .*ConsoleSpanExporter -- trace [0-9a-f]{32}")
			.contains("└─ logged root");
	}

	private ConsoleSpanExporter tree(Duration lateSpanWait) {
		return new ConsoleSpanExporter(Format.TREE, this.output::add, this.openSpans, lateSpanWait);
	}

	/**
	 * A tracer whose spans reach the exporter as they end, counted by the test's
	 * {@link OpenSpans} as the auto-configuration wires it.
	 */
	private Tracer tracer(ConsoleSpanExporter exporter) {
		return tracer(SimpleSpanProcessor.create(this.openSpans.delivering(exporter)));
	}

	private Tracer tracer(SpanProcessor processor) {
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
			.addSpanProcessor(this.openSpans)
			.addSpanProcessor(processor)
			.build();
		this.tracerProviders.add(tracerProvider);
		return tracerProvider.get("test");
	}

	private static SpanBuilder childOf(Tracer tracer, Span parent, String name) {
		return tracer.spanBuilder(name).setParent(Context.root().with(parent));
	}

	private static long nanos(double millis) {
		return 1_700_000_000_000_000_000L + Math.round(millis * 1_000_000);
	}

	/**
	 * Keeps the spans as they end, for a test to deliver them when it wants.
	 */
	private record CapturingExporter(List<SpanData> spans) implements SpanExporter {

		@Override
		public CompletableResultCode export(Collection<SpanData> batch) {
			this.spans.addAll(batch);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
