package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with every auto-configuration on the test classpath (Spring AI's OpenAI
 * starter, Boot's observation and OpenTelemetry tracing, the starter's), selected as
 * {@code @EnableAutoConfiguration} does, against {@link OpenAiMockServer}. An
 * {@link ApplicationContextRunner} rather than {@code @SpringBootTest}: the latter
 * initializes Boot's logging system for the whole JVM, which changes the log format other
 * tests of the module read.
 */
class OpenAiMockServerFullAutoConfigurationTests extends OpenAiApplicationTests {

	OpenAiMockServerFullAutoConfigurationTests() {
		super(TestApplication.class);
	}

	@Test
	void chatClientCallIsTracedAndTheApiKeyStaysOutOfTheSpans() {
		this.server.enqueueChat("Bonjour.", OpenAiMockServerTests.RESPONSE_MODEL, 10, 2);
		this.contextRunner.run((context) -> {
			String content = context.getBean(ChatClient.Builder.class).build().prompt("hi").call().content();

			assertThat(content).isEqualTo("Bonjour.");
			assertThat(this.server.takeRequest().header("Authorization"))
				.isEqualTo("Bearer " + OpenAiMockServerTests.API_KEY);
			// The okhttp span is named after the method only; Spring AI's ChatClient and
			// advisor spans are folded away
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(spanNames(context)).containsExactlyInAnyOrder("chat gpt-4o-mini",
						"POST"));
			SpanData chat = span(context, "chat gpt-4o-mini");
			assertThat(span(context, "POST").getParentSpanId()).isEqualTo(chat.getSpanId());
			assertThat(span(context, "POST").getTraceId()).isEqualTo(chat.getTraceId());
			assertThat(spans(context)).allSatisfy(
					(span) -> assertThat(span.toString()).doesNotContain(OpenAiMockServerTests.API_KEY));
		});
	}

	@Test
	void springAiRetryAutoConfigurationBacksOffWithoutSpringAiRetry() {
		// spring-ai-autoconfigure-retry comes with the starter but spring-ai-retry does not:
		// @ConditionalOnClass(RetryUtils.class), read from the class file, skips it.
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("retryTemplate"));
	}

	private static List<SpanData> spans(ApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		return context.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
	}

	private static SpanData span(ApplicationContext context, String name) {
		return spans(context).stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span " + name + " in " + spanNames(context)));
	}

	private static List<String> spanNames(ApplicationContext context) {
		return spans(context).stream().map(SpanData::getName).toList();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
