package io.github.agentobservability.ai;

import io.github.agentobservability.ai.internal.GenAiSpanAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import static io.github.agentobservability.ai.internal.ContentCaptureTests.JSON;
import static io.github.agentobservability.ai.internal.ContentCaptureTests.assertConformsToInputMessages;
import static io.github.agentobservability.ai.internal.ContentCaptureTests.assertConformsToOutputMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Content capture through the real Spring AI OpenAI client against
 * {@link OpenAiMockServer}: a ChatClient tool round trip recorded in the shapes of the
 * GenAI conventions' JSON schemas, redacted and truncated inside the JSON.
 */
class ContentCaptureOpenAiTests extends OpenAiApplicationTests {

	private static final List<AttributeKey<String>> CONTENT_ATTRIBUTES = List.of(GenAiSpanAttributes.INPUT_MESSAGES,
			GenAiSpanAttributes.OUTPUT_MESSAGES, GenAiSpanAttributes.SYSTEM_INSTRUCTIONS,
			GenAiSpanAttributes.TOOL_ARGUMENTS, GenAiSpanAttributes.TOOL_RESULT);

	ContentCaptureOpenAiTests() {
		super(TestApplication.class);
	}

	@Test
	void aToolRoundTripIsRecordedInTheShapesOfTheConventions() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("Il fait beau à Paris.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.withPropertyValues("agent.observability.content.capture=true").run((context) -> {
			askWithTools(context, "Weather in Paris? Reply to jane.doe@example.com");
			List<SpanData> chats = chatSpans(context);
			assertThat(chats).hasSize(2);

			SpanData first = chats.get(0);
			// OpenAI takes the system message in the chat history: it stays there
			assertThat(first.getAttributes().get(GenAiSpanAttributes.SYSTEM_INSTRUCTIONS)).isNull();
			JsonNode input = JSON.readTree(first.getAttributes().get(GenAiSpanAttributes.INPUT_MESSAGES));
			assertConformsToInputMessages(input);
			assertThat(input).hasSize(2);
			assertThat(input.get(0).path("role").asString()).isEqualTo("system");
			assertThat(input.get(0).path("parts").get(0).path("content").asString()).isEqualTo("Answer in French.");
			assertThat(input.get(1).path("role").asString()).isEqualTo("user");
			assertThat(input.get(1).path("parts").get(0).path("content").asString())
				.isEqualTo("Weather in Paris? Reply to [REDACTED:email]");
			JsonNode output = JSON.readTree(first.getAttributes().get(GenAiSpanAttributes.OUTPUT_MESSAGES));
			assertConformsToOutputMessages(output);
			JsonNode toolCall = output.get(0).path("parts").get(0);
			assertThat(toolCall.path("type").asString()).isEqualTo("tool_call");
			assertThat(toolCall.path("id").asString()).isEqualTo("call_1");
			assertThat(toolCall.path("name").asString()).isEqualTo("currentWeather");
			assertThat(toolCall.path("arguments").isObject()).isTrue();
			assertThat(toolCall.path("arguments").path("city").asString()).isEqualTo("Paris");
			assertThat(output.get(0).path("finish_reason").asString())
				.isEqualTo(first.getAttributes().get(GenAiSpanAttributes.FINISH_REASONS).get(0));

			JsonNode history = JSON.readTree(chats.get(1).getAttributes().get(GenAiSpanAttributes.INPUT_MESSAGES));
			assertConformsToInputMessages(history);
			assertThat(history).hasSize(4);
			assertThat(history.get(2).path("role").asString()).isEqualTo("assistant");
			assertThat(history.get(2).path("parts").get(0).path("arguments").path("city").asString())
				.isEqualTo("Paris");
			assertThat(history.get(3).path("role").asString()).isEqualTo("tool");
			JsonNode toolResponse = history.get(3).path("parts").get(0);
			assertThat(toolResponse.path("type").asString()).isEqualTo("tool_call_response");
			assertThat(toolResponse.path("id").asString()).isEqualTo("call_1");
			assertThat(toolResponse.path("response").isString()).isTrue();
			assertThat(toolResponse.path("response").asString()).isEqualTo("sunny");
			JsonNode answer = JSON.readTree(chats.get(1).getAttributes().get(GenAiSpanAttributes.OUTPUT_MESSAGES));
			assertConformsToOutputMessages(answer);
			assertThat(answer.get(0).path("parts").get(0).path("content").asString()).isEqualTo("Il fait beau à Paris.");
			assertThat(answer.get(0).path("finish_reason").asString()).isEqualTo("stop");

			SpanData tool = awaitSingleSpan(context, "execute_tool currentWeather");
			assertThat(tool.getAttributes().get(GenAiSpanAttributes.TOOL_ARGUMENTS)).isEqualTo("{\"city\":\"Paris\"}");
			assertThat(tool.getAttributes().get(GenAiSpanAttributes.TOOL_RESULT)).isEqualTo("\"sunny\"");
			assertThat(spans(context)).allSatisfy((span) -> assertThat(span.toString()).doesNotContain("jane.doe"));
		});
	}

	@Test
	void truncatedContentStaysValidJson() {
		this.server
			.enqueueToolCall("currentWeather", "{\"city\":\"" + "Paris \\\"centre\\\" ".repeat(10) + "\"}", "call_1",
					50, 10)
			.enqueueChat("Il fait \"beau\".\n".repeat(10), OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner
			.withPropertyValues("agent.observability.content.capture=true", "agent.observability.content.max-length=16")
			.run((context) -> {
				askWithTools(context, "Weather in \"Paris\"?\n".repeat(10));
				List<SpanData> chats = chatSpans(context);
				assertThat(chats).hasSize(2);
				for (SpanData chat : chats) {
					assertConformsToInputMessages(JSON.readTree(chat.getAttributes().get(GenAiSpanAttributes.INPUT_MESSAGES)));
					assertConformsToOutputMessages(
							JSON.readTree(chat.getAttributes().get(GenAiSpanAttributes.OUTPUT_MESSAGES)));
				}
				JsonNode arguments = JSON.readTree(chats.get(0).getAttributes().get(GenAiSpanAttributes.OUTPUT_MESSAGES))
					.get(0)
					.path("parts")
					.get(0)
					.path("arguments");
				assertThat(arguments.isObject()).isTrue();
				assertThat(arguments.path("city").asString()).endsWith("chars]").contains("…[truncated ");
				SpanData tool = awaitSingleSpan(context, "execute_tool currentWeather");
				JsonNode toolArguments = JSON.readTree(tool.getAttributes().get(GenAiSpanAttributes.TOOL_ARGUMENTS));
				assertThat(toolArguments.isObject()).isTrue();
				assertThat(toolArguments.path("city").asString()).startsWith("Paris").contains("…[truncated ");
			});
	}

	@Test
	void withContentCaptureOffNoContentAttributeIsWritten() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("Il fait beau à Paris.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			askWithTools(context, "Weather in Paris?");
			assertThat(chatSpans(context)).hasSize(2);
			awaitSingleSpan(context, "execute_tool currentWeather");
			assertThat(spans(context)).isNotEmpty().allSatisfy((span) -> {
				for (AttributeKey<String> key : CONTENT_ATTRIBUTES) {
					assertThat(span.getAttributes().get(key)).as("%s on %s", key, span.getName()).isNull();
				}
			});
		});
	}

	private static void askWithTools(ApplicationContext context, String question) {
		context.getBean(ChatClient.Builder.class)
			.build()
			.prompt()
			.system("Answer in French.")
			.user(question)
			.tools(new WeatherTools())
			.call()
			.content();
	}

	private static List<SpanData> chatSpans(ApplicationContext context) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(spansNamed(context, "chat gpt-4o-mini")).hasSize(2));
		return spansNamed(context, "chat gpt-4o-mini").stream()
			.sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
			.toList();
	}

	private static SpanData awaitSingleSpan(ApplicationContext context, String name) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spansNamed(context, name)).hasSize(1));
		return spansNamed(context, name).get(0);
	}

	private static List<SpanData> spansNamed(ApplicationContext context, String name) {
		return spans(context).stream().filter((span) -> span.getName().equals(name)).toList();
	}

	private static List<SpanData> spans(ApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		return context.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

	static class WeatherTools {

		@Tool(description = "Current weather in a city")
		public String currentWeather(String city) {
			return "sunny";
		}

	}

}
