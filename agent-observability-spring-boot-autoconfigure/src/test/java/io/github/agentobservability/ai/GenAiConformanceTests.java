package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.export.OtlpReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import static io.github.agentobservability.ai.GenAiConformanceAssertions.assertConforms;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The spans of real Spring AI OpenAI calls, exported by Boot's OTLP/HTTP exporter and
 * decoded as a collector receives them, judged by {@link GenAiConformance} against the
 * copied semconv registry ({@link GenAiConformanceAssertions}): a ChatClient call, a
 * stream, a tool round trip, a failed call and an agent run. Every span of the scenario
 * is checked, the HTTP and Spring AI framework spans included, and every violation is
 * printed at once.
 */
class GenAiConformanceTests {

	private OpenAiMockServer server;

	private OtlpReceiver receiver;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void start() {
		this.server = OpenAiMockServer.start();
		this.receiver = OtlpReceiver.start();
		this.contextRunner = this.server.applicationRunner(TestApplication.class)
			.withPropertyValues(
					"management.opentelemetry.tracing.export.otlp.endpoint=" + this.receiver.tracesUrl(),
					"management.opentelemetry.tracing.export.schedule-delay=50ms");
	}

	@AfterEach
	void stop() {
		this.receiver.close();
		this.server.close();
	}

	@Test
	void aChatClientCallConforms() {
		this.server.enqueueChat("Bonjour.", OpenAiMockServerTests.RESPONSE_MODEL, 10, 2);
		this.contextRunner.run((context) -> {
			chatClient(context).prompt("hi").call().content();
			assertConforms(this.receiver, Map.of("chat", 1));
		});
	}

	@Test
	void aChatClientStreamConforms() {
		this.server.enqueueStream(List.of("Bon", "jour."), OpenAiMockServerTests.RESPONSE_MODEL, 10, 2,
				Duration.ofMillis(20));
		this.contextRunner.run((context) -> {
			chatClient(context).prompt("hi").stream().content().collectList().block();
			assertConforms(this.receiver, Map.of("chat", 1));
		});
	}

	@Test
	void aToolRoundTripConforms() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("It is sunny in Paris.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			chatClient(context).prompt("Paris?").tools(new WeatherTools()).call().content();
			assertConforms(this.receiver, Map.of("chat", 2, "execute_tool", 1));
		});
	}

	@Test
	void aFailedCallConforms() {
		this.server.enqueueError(429, "rate_limit_exceeded", "Rate limit reached");
		this.contextRunner.run((context) -> {
			assertThatException().isThrownBy(() -> chatClient(context).prompt("hi").call().content());
			assertConforms(this.receiver, Map.of("chat", 1));
		});
	}

	@Test
	void anAgentRunConforms() {
		this.server.enqueueChat("Sunny.", OpenAiMockServerTests.RESPONSE_MODEL, 10, 2);
		this.contextRunner.run((context) -> {
			context.getBean(SupportAgent.class).ask("weather?");
			assertConforms(this.receiver, Map.of("invoke_agent", 1, "chat", 1));
		});
	}

	private static ChatClient chatClient(ApplicationContext context) {
		return context.getBean(ChatClient.Builder.class).build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		SupportAgent supportAgent(ChatClient.Builder chatClient) {
			return new SupportAgent(chatClient.build());
		}

	}

	static class SupportAgent {

		private final ChatClient chatClient;

		SupportAgent(ChatClient chatClient) {
			this.chatClient = chatClient;
		}

		@Traced(agent = "support")
		public String ask(String question) {
			return this.chatClient.prompt(question).call().content();
		}

	}

	static class WeatherTools {

		@Tool(description = "Current weather in a city")
		public String currentWeather(String city) {
			return "sunny";
		}

	}

}
