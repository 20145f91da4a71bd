package io.github.agentobservability.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.agentobservability.export.ConsoleSpanExporter;
import io.github.agentobservability.export.OpenSpans;
import io.github.agentobservability.export.JsonLinesSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingProperties;

/**
 * How many spans per second the starter's exporters take through a
 * {@link BatchSpanProcessor} configured as the starter configures it (Boot's
 * {@code management.opentelemetry.tracing.export.*} defaults: queue 2048, batch 512,
 * delay 5 s), and how many the processor drops when the application ends spans faster.
 * <p>
 * One operation ends one agent-shaped trace of three spans (agent run, model call, tool
 * call, with GenAI attributes), sampled, as fast as one thread can. The score is traces
 * ended per second; the auxiliary counters, per second of the same iterations, are the
 * spans ended, the spans that reached the exporter during the iteration
 * ({@code spansExported}: the export throughput) and the spans the processor dropped
 * ({@code spansDropped}: ended and never exported, counted after a flush at the end of
 * each iteration). {@code noop} is the batch processor alone, the ceiling.
 * <p>
 * The console exporter prints trees ({@code TREE} format) to a sink that only adds up the
 * length of what it is given, so that the log is not what is measured; the JSON-lines
 * exporter writes a real file in a temporary directory, rotated at 64 MB (2 files).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class ExporterBenchmark {

	static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");

	static final AttributeKey<String> AGENT = AttributeKey.stringKey("gen_ai.agent.name");

	static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");

	static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");

	static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

	static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");

	static final Attributes AGENT_ATTRIBUTES = Attributes.of(OPERATION, "invoke_agent", AGENT, "bench");

	static final int SPANS_PER_TRACE = 3;

	@Benchmark
	public void exportTrace(Pipeline pipeline, Counters counters) {
		Tracer tracer = pipeline.tracer;
		Span agent = tracer.spanBuilder("invoke_agent bench").setAllAttributes(AGENT_ATTRIBUTES).startSpan();
		Context parent = Context.current().with(agent);
		tracer.spanBuilder("chat gpt-4o-mini")
			.setParent(parent)
			.setSpanKind(SpanKind.CLIENT)
			.setAttribute(OPERATION, "chat")
			.setAttribute(MODEL, "gpt-4o-mini")
			.setAttribute(INPUT_TOKENS, 812L)
			.setAttribute(OUTPUT_TOKENS, 96L)
			.startSpan()
			.end();
		tracer.spanBuilder("execute_tool search")
			.setParent(parent)
			.setAttribute(OPERATION, "execute_tool")
			.setAttribute(TOOL, "search")
			.startSpan()
			.end();
		agent.end();
		counters.spansEnded += SPANS_PER_TRACE;
	}

	/** The tracer provider, its batch processor and the exporter under test. */
	@State(Scope.Benchmark)
	public static class Pipeline {

		@Param({ "noop", "console", "console-whole", "jsonl" })
		public String exporter;

		SdkTracerProvider provider;

		Tracer tracer;

		CountingSpanExporter counting;

		/** With {@code console-whole}: the console exporter as the starter wires it. */
		OpenSpans openSpans;

		Path directory;

		long consoleChars;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.counting = new CountingSpanExporter(create());
			OpenTelemetryTracingProperties.Export defaults = new OpenTelemetryTracingProperties().getExport();
			BatchSpanProcessor processor = BatchSpanProcessor
				.builder((this.openSpans != null) ? this.openSpans.delivering(this.counting) : this.counting)
				.setExportUnsampledSpans(defaults.isIncludeUnsampled())
				.setExporterTimeout(defaults.getTimeout())
				.setMaxExportBatchSize(defaults.getMaxBatchSize())
				.setMaxQueueSize(defaults.getMaxQueueSize())
				.setScheduleDelay(defaults.getScheduleDelay())
				.build();
			this.provider = SdkTracerProvider.builder()
				.setResource(Resource.getDefault()
					.merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "bench"))))
				.setSampler(Sampler.alwaysOn())
				.addSpanProcessor((this.openSpans != null) ? SpanProcessor.composite(this.openSpans, processor) : processor)
				.build();
			this.tracer = this.provider.get("io.github.agentobservability.benchmarks");
		}

		private SpanExporter create() throws IOException {
			switch (this.exporter) {
				case "noop":
					return null;
				case "console":
					Consumer<String> sink = (text) -> this.consoleChars += text.length();
					return new ConsoleSpanExporter(ConsoleSpanExporter.Format.TREE, sink);
				case "console-whole":
					this.openSpans = new OpenSpans(false);
					return new ConsoleSpanExporter(ConsoleSpanExporter.Format.TREE,
							(text) -> this.consoleChars += text.length(), this.openSpans, Duration.ofSeconds(1));
				case "jsonl":
					this.directory = Files.createTempDirectory("agent-observability-jmh");
					return new JsonLinesSpanExporter(this.directory.resolve("spans.jsonl"), 64L * 1024 * 1024, 2);
				default:
					throw new IllegalArgumentException("Unknown exporter " + this.exporter);
			}
		}

		long flush() {
			this.provider.forceFlush().join(30, TimeUnit.SECONDS);
			return this.counting.getExported();
		}

		@TearDown(Level.Trial)
		public void tearDown() throws IOException {
			long exported = flush();
			this.provider.shutdown().join(30, TimeUnit.SECONDS);
			System.err.println("[" + this.exporter + "] spans exported during the trial: " + exported
					+ ((this.directory != null) ? ", bytes on disk: " + size(this.directory) : "")
					+ (this.exporter.startsWith("console") ? ", characters printed: " + this.consoleChars : ""));
			if (exported == 0) {
				throw new IllegalStateException("no span was exported");
			}
			if (this.exporter.startsWith("console") && this.consoleChars == 0) {
				throw new IllegalStateException("the console exporter printed nothing");
			}
			if (this.directory != null) {
				if (size(this.directory) == 0) {
					throw new IllegalStateException("the JSON-lines exporter wrote nothing");
				}
				try (Stream<Path> files = Files.walk(this.directory)) {
					files.sorted(Comparator.reverseOrder()).forEach(Pipeline::delete);
				}
			}
		}

		private static long size(Path directory) throws IOException {
			try (Stream<Path> files = Files.list(directory)) {
				return files.mapToLong((file) -> file.toFile().length()).sum();
			}
		}

		private static void delete(Path path) {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/**
	 * Spans per second: ended by the benchmark, exported during the iteration, dropped by
	 * the batch processor. Reset at the start of each iteration; the exported and dropped
	 * counts are taken at its end, before JMH reads them.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.OPERATIONS)
	public static class Counters {

		public long spansEnded;

		public long spansExported;

		public long spansDropped;

		private long exportedBefore;

		@Setup(Level.Iteration)
		public void start(Pipeline pipeline) {
			this.exportedBefore = pipeline.flush();
			this.spansEnded = 0;
			this.spansExported = 0;
			this.spansDropped = 0;
		}

		@TearDown(Level.Iteration)
		public void stop(Pipeline pipeline) {
			// Read before the flush: what went through while the benchmark ran.
			long exportedDuring = pipeline.counting.getExported() - this.exportedBefore;
			long exportedAll = pipeline.flush() - this.exportedBefore;
			this.spansExported = exportedDuring;
			this.spansDropped = this.spansEnded - exportedAll;
		}

	}

}
