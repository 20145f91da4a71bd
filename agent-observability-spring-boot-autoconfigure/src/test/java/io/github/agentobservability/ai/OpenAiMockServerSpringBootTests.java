package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole application, every auto-configuration on the test classpath (Spring AI's
 * OpenAI starter, Boot's observation and OpenTelemetry tracing, the starter's), against
 * {@link OpenAiMockServer}.
 */
@SpringBootTest(classes = OpenAiMockServerSpringBootTests.TestApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.ai.openai.api-key=" + OpenAiMockServerTests.API_KEY,
				"spring.ai.openai.chat.model=gpt-4o-mini", "spring.ai.openai.max-retries=0",
				"management.tracing.sampling.probability=1.0" })
class OpenAiMockServerSpringBootTests {

	static final OpenAiMockServer server = OpenAiMockServer.start();

	@DynamicPropertySource
	static void openAi(DynamicPropertyRegistry registry) {
		registry.add("spring.ai.openai.base-url", server::baseUrl);
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Autowired
	ChatClient.Builder chatClientBuilder;

	@Autowired
	ApplicationContext context;

	@Test
	void chatClientCallIsTracedAndTheApiKeyStaysOutOfTheSpans() {
		server.enqueueChat("Bonjour.", OpenAiMockServerTests.RESPONSE_MODEL, 10, 2);

		String content = this.chatClientBuilder.build().prompt("hi").call().content();

		assertThat(content).isEqualTo("Bonjour.");
		assertThat(server.takeRequest().header("Authorization"))
			.isEqualTo("Bearer " + OpenAiMockServerTests.API_KEY);
		// The okhttp span is named after the method only; the tool-calling advisor's span
		// is "tool _calling " (sic) in Spring AI 2.0.1.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(spanNames()).contains("spring_ai chat_client", "chat gpt-4o-mini", "POST"));
		SpanData chat = span("chat gpt-4o-mini");
		assertThat(span("POST").getParentSpanId()).isEqualTo(chat.getSpanId());
		assertThat(chat.getTraceId()).isEqualTo(span("spring_ai chat_client").getTraceId());
		assertThat(spans()).allSatisfy((span) -> assertThat(span.toString())
			.doesNotContain(OpenAiMockServerTests.API_KEY));
	}

	@Test
	void springAiRetryAutoConfigurationBacksOffWithoutSpringAiRetry() {
		// spring-ai-autoconfigure-retry comes with the starter but not spring-ai-retry:
		// @ConditionalOnClass(RetryUtils.class) skips it (read by ASM from the imports).
		assertThat(this.context.containsBean("retryTemplate")).isFalse();
	}

	private List<SpanData> spans() {
		this.context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		return this.context.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
	}

	private SpanData span(String name) {
		return spans().stream().filter((span) -> span.getName().equals(name)).findFirst().orElseThrow();
	}

	private List<String> spanNames() {
		return spans().stream().map(SpanData::getName).toList();
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
