package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole application for tests against {@link OpenAiMockServer}: every auto-configuration,
 * a {@code weather} agent and an {@link InMemorySpanExporter}, with what the tests read,
 * the spans it holds, flushed first.
 */
public final class TracedApplication {

	private TracedApplication() {
	}

	/**
	 * The spans ended so far, after a flush of the tracer provider.
	 * @param context the application
	 * @return the spans
	 */
	public static List<SpanData> spans(ApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		return context.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
	}

	/**
	 * Waits for a span of the given name and returns the first.
	 * @param context the application
	 * @param name the span name
	 * @return the span
	 */
	public static SpanData awaitSpan(ApplicationContext context, String name) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(spans(context)).extracting(SpanData::getName).contains(name));
		return spans(context).stream().filter((span) -> span.getName().equals(name)).findFirst().orElseThrow();
	}

	/**
	 * Waits for spans of all the given names and returns every span.
	 * @param context the application
	 * @param names the span names
	 * @return the spans
	 */
	public static List<SpanData> awaitSpans(ApplicationContext context, List<String> names) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(spans(context)).extracting(SpanData::getName).containsAll(names));
		return spans(context);
	}

	/**
	 * The application: every auto-configuration, the spans kept in memory, one agent.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class WeatherApplication {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

		@Bean
		WeatherAgent weatherAgent(ChatClient.Builder chatClient) {
			return new WeatherAgent(chatClient.build());
		}

	}

	/**
	 * The {@code weather} agent, asking through a ChatClient in the ways the tests need.
	 */
	public static class WeatherAgent {

		private final ChatClient chatClient;

		WeatherAgent(ChatClient chatClient) {
			this.chatClient = chatClient;
		}

		/** A call with the weather tool. */
		@Traced(agent = "weather")
		public String ask(String question) {
			return this.chatClient.prompt(question).tools(new WeatherTools()).call().content();
		}

		/** A call without tools. */
		@Traced(agent = "weather")
		public String askWithoutTools(String question) {
			return this.chatClient.prompt(question).call().content();
		}

		/** A stream without tools. */
		@Traced(agent = "weather")
		public Flux<String> stream(String question) {
			return this.chatClient.prompt(question).stream().content();
		}

		/** A call with the weather tool in a chat memory's conversation. */
		@Traced(agent = "weather")
		public String askInConversation(String question, String conversationId) {
			return this.chatClient.prompt(question)
				.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, conversationId))
				.tools(new WeatherTools())
				.call()
				.content();
		}

		/** A stream with the weather tool in a chat memory's conversation. */
		@Traced(agent = "weather")
		public Flux<String> streamInConversation(String question, String conversationId) {
			return this.chatClient.prompt(question)
				.advisors((advisors) -> advisors.param(ChatMemory.CONVERSATION_ID, conversationId))
				.tools(new WeatherTools())
				.stream()
				.content();
		}

		/** A call with the weather tool, the run naming its conversation itself. */
		@Traced(agent = "weather")
		public String askNamingTheConversation(String question,
				@SpanAttribute("gen_ai.conversation.id") String conversationId) {
			return this.chatClient.prompt(question).tools(new WeatherTools()).call().content();
		}

	}

	/**
	 * A tool that always answers {@code sunny}.
	 */
	public static class WeatherTools {

		@Tool(description = "Current weather in a city")
		public String currentWeather(String city) {
			return "sunny";
		}

	}

}
