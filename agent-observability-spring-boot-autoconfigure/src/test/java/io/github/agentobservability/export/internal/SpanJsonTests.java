package io.github.agentobservability.export.internal;

import io.github.agentobservability.export.internal.SpanJson;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpanJson}.
 */
class SpanJsonTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final InMemorySpanExporter spans = InMemorySpanExporter.create();

	private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
		.setResource(Resource.getDefault()
			.merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "rag-service"))))
		.addSpanProcessor(SimpleSpanProcessor.create(this.spans))
		.build();

	private final Tracer tracer = this.tracerProvider.get("test");

	@AfterEach
	void closeTracerProvider() {
		this.tracerProvider.close();
	}

	@Test
	void fieldsAreInTheDocumentedOrder() {
		JsonNode json = json(endedSpan("root", (span) -> {
		}));
		assertThat(json.propertyNames()).containsExactly("trace_id", "span_id", "parent_span_id", "name", "kind",
				"start_time_unix_nano", "end_time_unix_nano", "duration_ms", "status", "status_message", "attributes",
				"events", "resource");
	}

	@Test
	void idsAreLowerCaseHexStrings() {
		SpanData span = endedSpan("root", (s) -> {
		});
		JsonNode json = json(span);
		assertThat(json.get("trace_id").stringValue()).matches("[0-9a-f]{32}").isEqualTo(span.getTraceId());
		assertThat(json.get("span_id").stringValue()).matches("[0-9a-f]{16}").isEqualTo(span.getSpanId());
	}

	@Test
	void rootSpanHasNullParentSpanId() {
		JsonNode json = json(endedSpan("root", (span) -> {
		}));
		assertThat(json.get("parent_span_id").isNull()).isTrue();
	}

	@Test
	void childSpanHasTheSpanIdOfItsParent() {
		Span root = this.tracer.spanBuilder("root").startSpan();
		this.tracer.spanBuilder("child").setParent(Context.current().with(root)).startSpan().end();
		root.end();
		List<SpanData> ended = this.spans.getFinishedSpanItems();
		JsonNode child = json(ended.get(0));
		JsonNode parent = json(ended.get(1));
		assertThat(child.get("parent_span_id").stringValue()).isEqualTo(parent.get("span_id").stringValue());
		assertThat(child.get("trace_id")).isEqualTo(parent.get("trace_id"));
	}

	@Test
	void nameAndKindAreStrings() {
		Span span = this.tracer.spanBuilder("chat gpt-4o-mini").setSpanKind(SpanKind.CLIENT).startSpan();
		span.end();
		JsonNode json = json(this.spans.getFinishedSpanItems().get(0));
		assertThat(json.get("name").stringValue()).isEqualTo("chat gpt-4o-mini");
		assertThat(json.get("kind").stringValue()).isEqualTo("CLIENT");
	}

	@Test
	void timesAreNanosecondNumbersAndDurationIsInMilliseconds() {
		Span span = this.tracer.spanBuilder("timed").setStartTimestamp(1_000_000_000L, TimeUnit.NANOSECONDS).startSpan();
		span.end(1_001_500_000L, TimeUnit.NANOSECONDS);
		JsonNode json = json(this.spans.getFinishedSpanItems().get(0));
		assertThat(json.get("start_time_unix_nano").isIntegralNumber()).isTrue();
		assertThat(json.get("start_time_unix_nano").longValue()).isEqualTo(1_000_000_000L);
		assertThat(json.get("end_time_unix_nano").longValue()).isEqualTo(1_001_500_000L);
		assertThat(json.get("duration_ms").isFloatingPointNumber()).isTrue();
		assertThat(json.get("duration_ms").doubleValue()).isEqualTo(1.5);
	}

	@Test
	void unsetStatusHasAnEmptyMessage() {
		JsonNode json = json(endedSpan("root", (span) -> {
		}));
		assertThat(json.get("status").stringValue()).isEqualTo("UNSET");
		assertThat(json.get("status_message").stringValue()).isEmpty();
	}

	@Test
	void errorStatusHasItsMessage() {
		JsonNode json = json(endedSpan("root", (span) -> span.setStatus(StatusCode.ERROR, "model timed out")));
		assertThat(json.get("status").stringValue()).isEqualTo("ERROR");
		assertThat(json.get("status_message").stringValue()).isEqualTo("model timed out");
	}

	@Test
	void scalarAttributesKeepTheirJsonType() {
		JsonNode attributes = json(endedSpan("root", (span) -> span.setAttribute("model", "gpt-4o-mini")
			.setAttribute("tokens", 812L)
			.setAttribute("cost", 0.000179)
			.setAttribute("cached", true))).get("attributes");
		assertThat(attributes.get("model").isString()).isTrue();
		assertThat(attributes.get("model").stringValue()).isEqualTo("gpt-4o-mini");
		assertThat(attributes.get("tokens").isIntegralNumber()).isTrue();
		assertThat(attributes.get("tokens").longValue()).isEqualTo(812L);
		assertThat(attributes.get("cost").isFloatingPointNumber()).isTrue();
		assertThat(attributes.get("cost").doubleValue()).isEqualTo(0.000179);
		assertThat(attributes.get("cached").isBoolean()).isTrue();
		assertThat(attributes.get("cached").booleanValue()).isTrue();
	}

	@Test
	void arrayAttributesAreJsonArraysOfTheirType() {
		JsonNode attributes = json(endedSpan("root",
				(span) -> span.setAllAttributes(Attributes.builder()
					.put("finish_reasons", "stop", "length")
					.put("doc_ids", 3L, 5L)
					.put("scores", 0.25, 0.5)
					.put("flags", true, false)
					.build())))
			.get("attributes");
		assertThat(attributes.get("finish_reasons").isArray()).isTrue();
		assertThat(attributes.get("finish_reasons").get(1).stringValue()).isEqualTo("length");
		assertThat(attributes.get("doc_ids").get(1).isIntegralNumber()).isTrue();
		assertThat(attributes.get("doc_ids").get(1).longValue()).isEqualTo(5L);
		assertThat(attributes.get("scores").get(0).isFloatingPointNumber()).isTrue();
		assertThat(attributes.get("scores").get(0).doubleValue()).isEqualTo(0.25);
		assertThat(attributes.get("flags").get(1).isBoolean()).isTrue();
		assertThat(attributes.get("flags").get(1).booleanValue()).isFalse();
	}

	@Test
	void nonFiniteDoubleAttributeIsNull() {
		JsonNode attributes = json(endedSpan("root", (span) -> span.setAttribute("score", Double.NaN)))
			.get("attributes");
		assertThat(attributes.get("score").isNull()).isTrue();
	}

	@Test
	void eventsHaveNameTimeAndTypedAttributes() {
		JsonNode events = json(endedSpan("root", (span) -> span.addEvent("retrieved",
				Attributes.of(AttributeKey.longKey("doc_count"), 4L), 2_000_000_000L, TimeUnit.NANOSECONDS)))
			.get("events");
		assertThat(events.size()).isOne();
		JsonNode event = events.get(0);
		assertThat(event.propertyNames()).containsExactly("name", "time_unix_nano", "attributes");
		assertThat(event.get("name").stringValue()).isEqualTo("retrieved");
		assertThat(event.get("time_unix_nano").longValue()).isEqualTo(2_000_000_000L);
		assertThat(event.get("attributes").get("doc_count").longValue()).isEqualTo(4L);
	}

	@Test
	void exceptionEventHasTheExceptionTypeAndMessage() {
		JsonNode event = json(endedSpan("root", (span) -> span.recordException(new IllegalStateException("boom"))))
			.get("events")
			.get(0);
		assertThat(event.get("name").stringValue()).isEqualTo("exception");
		assertThat(event.get("attributes").get("exception.type").stringValue())
			.isEqualTo(IllegalStateException.class.getName());
		assertThat(event.get("attributes").get("exception.message").stringValue()).isEqualTo("boom");
	}

	@Test
	void resourceContainsTheServiceName() {
		JsonNode resource = json(endedSpan("root", (span) -> {
		})).get("resource");
		assertThat(resource.isObject()).isTrue();
		assertThat(resource.get("service.name").stringValue()).isEqualTo("rag-service");
	}

	@Test
	void lineBreaksInValuesDoNotBreakTheLine() {
		String json = SpanJson.toJson(endedSpan("multi\nline", (span) -> span.setAttribute("prompt", "a\r\nb")));
		assertThat(json).doesNotContain("\n", "\r");
		assertThat(mapper.readTree(json).get("attributes").get("prompt").stringValue()).isEqualTo("a\r\nb");
	}

	@Test
	void appendToAddsTheLineAfterExistingContent() {
		SpanData span = endedSpan("root", (s) -> {
		});
		StringBuilder out = new StringBuilder("previous\n");
		SpanJson.appendTo(out, span);
		assertThat(out).hasToString("previous\n" + SpanJson.toJson(span));
	}

	private SpanData endedSpan(String name, Consumer<Span> customizer) {
		Span span = this.tracer.spanBuilder(name).startSpan();
		customizer.accept(span);
		span.end();
		List<SpanData> ended = this.spans.getFinishedSpanItems();
		return ended.get(ended.size() - 1);
	}

	private static JsonNode json(SpanData span) {
		return mapper.readTree(SpanJson.toJson(span));
	}

}
