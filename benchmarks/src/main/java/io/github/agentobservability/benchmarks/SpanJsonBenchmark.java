package io.github.agentobservability.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.github.agentobservability.export.ConsoleSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.json.WritableJson;

/**
 * What rendering spans as the exporters' JSON lines costs: the starter's own writer
 * ({@code SpanJson}, reached through the console exporter's JSON format, as the JSON-lines
 * exporter reaches it) against Spring Boot's {@link JsonWriter} writing the same fields in
 * the same order, with the resource serialized once as the starter does. One operation
 * renders the three spans of an agent-shaped trace (those {@link ExporterBenchmark} ends,
 * the model call with an event whose prompt needs escaping); the setup checks that both
 * arms give the same lines.
 * <p>
 * The answer to "could the exporters use Boot's writer instead of their own?" (see
 * {@code docs/performance.md}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Thread)
public class SpanJsonBenchmark {

	private static final JsonWriter<Attributes> BOOT_ATTRIBUTES = JsonWriter
		.of((members) -> members.add().usingPairs(SpanJsonBenchmark::attributePairs));

	private static final JsonWriter<EventData> BOOT_EVENT = JsonWriter.of((members) -> {
		members.add("name", EventData::getName);
		members.add("time_unix_nano", EventData::getEpochNanos);
		members.add("attributes", (event) -> BOOT_ATTRIBUTES.write(event.getAttributes()));
	});

	private List<SpanData> spans;

	private ConsoleSpanExporter starter;

	private JsonWriter<SpanData> boot;

	private long characters;

	@Setup
	public void setUp() {
		this.spans = agentTrace();
		this.starter = new ConsoleSpanExporter(ConsoleSpanExporter.Format.JSON,
				(line) -> this.characters += line.length());
		this.boot = bootWriter(this.spans.get(0).getResource());
		List<String> starterLines = new ArrayList<>();
		new ConsoleSpanExporter(ConsoleSpanExporter.Format.JSON, starterLines::add).export(this.spans);
		List<String> bootLines = this.spans.stream().map(this.boot::writeToString).toList();
		if (!starterLines.equals(bootLines)) {
			throw new IllegalStateException("The arms write different JSON:\n" + starterLines + "\n" + bootLines);
		}
	}

	@Benchmark
	public long starterJsonWriter() {
		this.starter.export(this.spans);
		return this.characters;
	}

	@Benchmark
	public long bootJsonWriter() {
		for (SpanData span : this.spans) {
			this.characters += this.boot.writeToString(span).length();
		}
		return this.characters;
	}

	private static JsonWriter<SpanData> bootWriter(Resource resource) {
		String resourceJson = BOOT_ATTRIBUTES.writeToString(resource.getAttributes());
		WritableJson renderedResource = (out) -> out.append(resourceJson);
		return JsonWriter.of((members) -> {
			members.add("trace_id", SpanData::getTraceId);
			members.add("span_id", SpanData::getSpanId);
			members.add("parent_span_id",
					(span) -> span.getParentSpanContext().isValid() ? span.getParentSpanId() : null);
			members.add("name", SpanData::getName);
			members.add("kind", (span) -> span.getKind().name());
			members.add("start_time_unix_nano", SpanData::getStartEpochNanos);
			members.add("end_time_unix_nano", SpanData::getEndEpochNanos);
			members.add("duration_ms", (span) -> (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6);
			members.add("status", (span) -> span.getStatus().getStatusCode().name());
			members.add("status_message", (span) -> span.getStatus().getDescription());
			members.add("attributes", (span) -> BOOT_ATTRIBUTES.write(span.getAttributes()));
			members.add("events", (span) -> span.getEvents().stream().map(BOOT_EVENT::write).toList());
			members.add("resource", (span) -> renderedResource);
		});
	}

	private static void attributePairs(Attributes attributes, BiConsumer<String, Object> pairs) {
		attributes.forEach((key, value) -> pairs.accept(key.getKey(), value));
	}

	private static List<SpanData> agentTrace() {
		try (SdkTracerProvider provider = SdkTracerProvider.builder()
			.setResource(Resource.getDefault()
				.merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "bench"))))
			.build()) {
			Tracer tracer = provider.get("io.github.agentobservability.benchmarks");
			Span agent = tracer.spanBuilder("invoke_agent bench")
				.setAllAttributes(ExporterBenchmark.AGENT_ATTRIBUTES)
				.startSpan();
			Context parent = Context.current().with(agent);
			SpanData chat = ended(tracer.spanBuilder("chat gpt-4o-mini")
				.setParent(parent)
				.setSpanKind(SpanKind.CLIENT)
				.setAttribute(ExporterBenchmark.OPERATION, "chat")
				.setAttribute(ExporterBenchmark.MODEL, "gpt-4o-mini")
				.setAttribute(ExporterBenchmark.INPUT_TOKENS, 812L)
				.setAttribute(ExporterBenchmark.OUTPUT_TOKENS, 96L)
				.startSpan()
				.addEvent("gen_ai.content.prompt", Attributes.of(AttributeKey.stringKey("gen_ai.prompt"),
						"What is \"RAG\"?\nAnswer briefly.")));
			SpanData tool = ended(tracer.spanBuilder("execute_tool search")
				.setParent(parent)
				.setAttribute(ExporterBenchmark.OPERATION, "execute_tool")
				.setAttribute(ExporterBenchmark.TOOL, "search")
				.startSpan());
			return List.of(chat, tool, ended(agent));
		}
	}

	private static SpanData ended(Span span) {
		span.end();
		return ((ReadableSpan) span).toSpanData();
	}

}
