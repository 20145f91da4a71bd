package io.github.agentobservability.export.internal;

import io.github.agentobservability.export.internal.RegistrationAwareSpanProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrationAwareSpanProcessorTests {

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	@Test
	void isNotRegisteredUntilATracerProviderTakesIt() {
		RegistrationAwareSpanProcessor processor = new RegistrationAwareSpanProcessor(
				SimpleSpanProcessor.create(this.exporter));
		try (SdkTracerProvider other = SdkTracerProvider.builder()
			.addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
			.addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
			.build()) {
			assertThat(processor.isRegistered()).isFalse();
		}
	}

	@Test
	void isRegisteredAsSoonAsATracerProviderWithOtherProcessorsIsBuilt() {
		RegistrationAwareSpanProcessor processor = new RegistrationAwareSpanProcessor(
				SimpleSpanProcessor.create(this.exporter));
		try (SdkTracerProvider provider = SdkTracerProvider.builder()
			.addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
			.addSpanProcessor(processor)
			.build()) {
			assertThat(processor.isRegistered()).isTrue();
		}
	}

	@Test
	void isRegisteredWhenTheOnlyProcessorOfATracerProviderSeesASpan() {
		RegistrationAwareSpanProcessor processor = new RegistrationAwareSpanProcessor(
				SimpleSpanProcessor.create(this.exporter));
		try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build()) {
			provider.get("test").spanBuilder("one").startSpan().end();
			assertThat(processor.isRegistered()).isTrue();
			assertThat(this.exporter.getFinishedSpanItems()).singleElement()
				.satisfies((span) -> assertThat(span.getName()).isEqualTo("one"));
		}
	}

}
