package io.github.agentobservability.ai;

import io.github.agentobservability.ai.internal.GenAiTracingObservationHandler;
import java.time.Duration;

import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application whose Micrometer {@code Tracer} is not OpenTelemetry's, as with Brave
 * (here Micrometer's {@link SimpleTracer}): Spring AI's model span still gets the
 * starter's attributes, written through Micrometer's tag methods.
 */
class NonOpenTelemetryTracerTests extends OpenAiApplicationTests {

	NonOpenTelemetryTracerTests() {
		super(TestApplication.class);
	}

	@Test
	void modelSpansGetTokensCostAndProviderThroughMicrometersTagMethods() {
		this.server.enqueueChat("Bonjour.", OpenAiMockServerTests.RESPONSE_MODEL, 1_000_000, 1_000_000);
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(GenAiTracingObservationHandler.class);
			assertThat(context.getBean(ChatClient.Builder.class).build().prompt("hi").call().content())
				.isEqualTo("Bonjour.");
			SimpleTracer tracer = context.getBean(SimpleTracer.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(tracer.getSpans()).extracting(SimpleSpan::getName)
					.contains("chat gpt-4o-mini"));
			SimpleSpan chat = tracer.getSpans()
				.stream()
				.filter((span) -> span.getName().equals("chat gpt-4o-mini"))
				.findFirst()
				.orElseThrow();
			assertThat(chat.getTags()).containsEntry("gen_ai.provider.name", "openai")
				.containsEntry("gen_ai.usage.input_tokens", "1000000")
				.containsEntry("gen_ai.usage.output_tokens", "1000000")
				.containsEntry("gen_ai.usage.cost.currency", "USD")
				.containsKey("gen_ai.usage.cost.amount");
			assertThat(Double.parseDouble(chat.getTags().get("gen_ai.usage.cost.amount"))).isPositive();
			assertThat(chat.getEndTimestamp()).isNotNull();
		});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		SimpleTracer simpleTracer() {
			return new SimpleTracer();
		}

	}

}
