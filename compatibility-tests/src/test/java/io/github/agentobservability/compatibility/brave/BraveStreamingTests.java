package io.github.agentobservability.compatibility.brave;

import java.time.Duration;
import java.util.List;

import brave.Span;
import brave.handler.MutableSpan;
import io.github.agentobservability.compatibility.Apps;
import io.github.agentobservability.compatibility.ModelStreamController;
import io.github.agentobservability.compatibility.OpenAiStub;
import io.github.agentobservability.compatibility.Traces;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code StreamingTests}' WebFlux application under Brave: a request streaming Spring
 * AI's real OpenAI client's answer straight from {@code ChatModel.stream()} is one Brave
 * trace, with the model call's HTTP request, sent from OkHttp's dispatcher thread, under
 * the model call's span, since the starter parents it through Micrometer's tracer.
 */
class BraveStreamingTests {

	@Test
	void aWebFluxModelStreamIsOneBraveTraceWithTheModelsRequestUnderItsChatSpan() throws Exception {
		try (OpenAiStub openAi = OpenAiStub.start();
				ConfigurableApplicationContext context = Apps.run(WebApplicationType.REACTIVE, List.of(App.class),
						openAi.properties())) {
			assertThat(Traces.get(context, "/stream?question=weather")).contains("data:Sun", "data:ny.");
			RecordingSpanHandler spans = context.getBean(RecordingSpanHandler.class);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.all()).hasSize(3));
			MutableSpan server = spans.server("/stream");
			MutableSpan chat = spans.named("chat gpt-4o-mini");
			MutableSpan request = spans.named("POST");
			assertThat(server.parentId()).as("the server span is the root").isNull();
			assertThat(chat.parentId()).as("the chat span's parent").isEqualTo(server.id());
			assertThat(request.parentId()).as("the model request's parent").isEqualTo(chat.id());
			assertThat(request.kind()).isEqualTo(Span.Kind.CLIENT);
			assertThat(spans.all()).extracting(MutableSpan::traceId).containsOnly(server.traceId());
			assertThat(Double.parseDouble(chat.tag("gen_ai.response.time_to_first_chunk")))
				.as("time to first chunk")
				.isPositive();
			assertThat(spans.open()).as("spans left open").isZero();
			assertThat(context.getBean(ObservationRegistry.class).getCurrentObservation()).isNull();
			assertThat(context.getBean(Tracer.class).currentSpan()).isNull();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ModelStreamController.class)
	static class App {

		@Bean
		RecordingSpanHandler recordingSpanHandler() {
			return new RecordingSpanHandler();
		}

	}

}
