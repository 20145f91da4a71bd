package io.github.agentobservability.ai.internal;

import io.github.agentobservability.ai.internal.SpringAiKeyValues;
import java.util.List;
import java.util.Set;

import io.micrometer.common.KeyValues;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SpringAiKeyValuesTests {

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
		.addSpanProcessor(SimpleSpanProcessor.create(this.exporter))
		.build();

	@Test
	void requestOptionsGetTheRegistrysTypes() {
		Attributes attributes = copy(new SpringAiKeyValues(false),
				KeyValues.of("gen_ai.request.temperature", "0.7", "gen_ai.request.max_tokens", "256",
						"gen_ai.request.top_k", "40", "gen_ai.request.stream", "true", "gen_ai.request.stop_sequences",
						"[\"END\", \"STOP\"]", "gen_ai.request.embedding.dimensions", "1536"));
		assertThat(attributes.get(AttributeKey.doubleKey("gen_ai.request.temperature"))).isEqualTo(0.7);
		assertThat(attributes.get(AttributeKey.longKey("gen_ai.request.max_tokens"))).isEqualTo(256L);
		assertThat(attributes.get(AttributeKey.longKey("gen_ai.request.top_k"))).isEqualTo(40L);
		assertThat(attributes.get(AttributeKey.booleanKey("gen_ai.request.stream"))).isTrue();
		assertThat(attributes.get(AttributeKey.stringArrayKey("gen_ai.request.stop_sequences")))
			.containsExactly("END", "STOP");
		assertThat(attributes.get(AttributeKey.longKey("gen_ai.embeddings.dimension.count"))).isEqualTo(1536L);
		assertThat(attributes.size()).isEqualTo(6);
	}

	@Test
	void aValueThatDoesNotParseStaysAString() {
		Attributes attributes = copy(new SpringAiKeyValues(false),
				KeyValues.of("gen_ai.request.temperature", "warm", "gen_ai.request.stream", "yes"));
		assertThat(attributes.get(AttributeKey.stringKey("gen_ai.request.temperature"))).isEqualTo("warm");
		assertThat(attributes.get(AttributeKey.stringKey("gen_ai.request.stream"))).isEqualTo("yes");
	}

	@Test
	void theFrameworkOperationIsLeftOutAndEmbeddingIsRenamed() {
		assertThat(copy(new SpringAiKeyValues(false), KeyValues.of("gen_ai.operation.name", "framework")).isEmpty())
			.isTrue();
		assertThat(copy(new SpringAiKeyValues(false), KeyValues.of("gen_ai.operation.name", "embedding"))
			.get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("embeddings");
	}

	@Test
	void theDeprecatedSystemAttributeIsKeptOnlyWhenAskedFor() {
		KeyValues system = KeyValues.of("gen_ai.system", "openai");
		assertThat(copy(new SpringAiKeyValues(false), system).isEmpty()).isTrue();
		assertThat(copy(new SpringAiKeyValues(true), system).get(AttributeKey.stringKey("gen_ai.system")))
			.isEqualTo("openai");
	}

	@Test
	void springAisPlaceholderForWhatItDoesNotKnowIsLeftOut() {
		assertThat(copy(new SpringAiKeyValues(false), KeyValues.of("gen_ai.response.model", "none")).isEmpty())
			.isTrue();
	}

	@Test
	void skippedKeysAreNotCopied() {
		Span span = this.tracerProvider.get("test").spanBuilder("span").startSpan();
		new SpringAiKeyValues(false).copy(KeyValues.of("gen_ai.usage.input_tokens", "3", "other", "x"), span,
				Set.of("gen_ai.usage.input_tokens"));
		span.end();
		assertThat(this.exporter.getFinishedSpanItems().get(0).getAttributes().asMap().keySet())
			.extracting(AttributeKey::getKey)
			.isEqualTo(List.of("other"));
	}

	private Attributes copy(SpringAiKeyValues keyValues, KeyValues values) {
		this.exporter.reset();
		Span span = this.tracerProvider.get("test").spanBuilder("span").startSpan();
		keyValues.copy(values, span, Set.of());
		span.end();
		return this.exporter.getFinishedSpanItems().get(0).getAttributes();
	}

}
