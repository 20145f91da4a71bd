package io.github.agentobservability.export;

import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AgentTracesEndpoint}: what the page at {@code /} and
 * {@code /actuator/agenttraces} read, with every attribute in the JSON type it was
 * recorded with, as Jackson writes the endpoint's answer.
 */
class AgentTracesEndpointTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void attributesKeepTheirTypesInTheEndpointsJson() {
		RecentTraces recent = new RecentTraces(10, 10);
		String traceId;
		try (SdkTracerProvider provider = SdkTracerProvider.builder()
			.addSpanProcessor(SimpleSpanProcessor.create(recent.exporter()))
			.build()) {
			Span span = provider.get("test")
				.spanBuilder("retrieval corpus")
				.setAttribute("retrieval.method", "bm25")
				.setAttribute("a.numeric_string", "3")
				.setAttribute("retrieval.doc_count", 3L)
				.setAttribute("gen_ai.usage.cost.amount", 0.000179)
				.setAttribute("a.boolean", true)
				.setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
				.setAttribute(AttributeKey.longArrayKey("a.longs"), List.of(1L, 2L))
				.setAttribute(AttributeKey.doubleArrayKey("a.doubles"), List.of(0.25))
				.setAttribute(AttributeKey.booleanArrayKey("a.booleans"), List.of(false))
				.startSpan();
			traceId = span.getSpanContext().getTraceId();
			span.end();
		}
		JsonNode attributes = this.json.valueToTree(new AgentTracesEndpoint(recent).trace(traceId))
			.path("spans")
			.get(0)
			.path("attributes");
		assertThat(attributes.path("retrieval.method").isString()).isTrue();
		assertThat(attributes.path("a.numeric_string").isString()).isTrue();
		assertThat(attributes.path("retrieval.doc_count").isIntegralNumber()).isTrue();
		assertThat(attributes.path("retrieval.doc_count").asLong()).isEqualTo(3);
		assertThat(attributes.path("gen_ai.usage.cost.amount").isDouble()).isTrue();
		assertThat(attributes.path("a.boolean").isBoolean()).isTrue();
		assertThat(attributes.path("gen_ai.response.finish_reasons").get(0).isString()).isTrue();
		assertThat(attributes.path("a.longs").get(1).isIntegralNumber()).isTrue();
		assertThat(attributes.path("a.doubles").get(0).isDouble()).isTrue();
		assertThat(attributes.path("a.booleans").get(0).isBoolean()).isTrue();
	}

}
