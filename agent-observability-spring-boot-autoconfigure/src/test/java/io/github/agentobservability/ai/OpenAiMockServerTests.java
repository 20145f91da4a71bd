package io.github.agentobservability.ai;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import io.github.agentobservability.ai.OpenAiMockServer.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.chat.observation.autoconfigure.ChatObservationAutoConfiguration;
import org.springframework.ai.model.embedding.observation.autoconfigure.EmbeddingObservationAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration;
import org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The real Spring AI OpenAI client, auto-configured by Boot, against
 * {@link OpenAiMockServer}.
 */
class OpenAiMockServerTests {

	static final String API_KEY = OpenAiMockServer.API_KEY;

	static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";

	/**
	 * What an application with {@code spring-ai-starter-model-openai} gets, minus the
	 * image, audio and moderation models, plus Boot's observation and metrics.
	 */
	static final AutoConfigurations SPRING_AI_OPENAI = AutoConfigurations.of(ObservationAutoConfiguration.class,
			MetricsAutoConfiguration.class, ToolCallingAutoConfiguration.class,
			ChatObservationAutoConfiguration.class, EmbeddingObservationAutoConfiguration.class,
			ChatClientAutoConfiguration.class, OpenAiChatAutoConfiguration.class,
			OpenAiEmbeddingAutoConfiguration.class);

	private OpenAiMockServer server;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void startServer() {
		this.server = OpenAiMockServer.start();
		this.contextRunner = new ApplicationContextRunner().withConfiguration(SPRING_AI_OPENAI)
			.withUserConfiguration(RecordingConfiguration.class)
			.withPropertyValues(this.server.clientProperties());
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void callReturnsTheScriptedCompletionWithModelAndUsage() {
		this.server.enqueueChat("Hi there!", RESPONSE_MODEL, 12, 5);
		this.contextRunner.run((context) -> {
			ChatResponse response = context.getBean(ChatModel.class).call(new Prompt("hi"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("Hi there!");
			assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
			assertThat(response.getMetadata().getModel()).isEqualTo(RESPONSE_MODEL);
			assertThat(response.getMetadata().getId()).startsWith("chatcmpl-");
			assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(12);
			assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(5);
			assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(17);

			RecordedRequest request = this.server.takeRequest();
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.path()).isEqualTo(OpenAiMockServer.CHAT_COMPLETIONS);
			assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
			JsonNode body = request.jsonBody();
			assertThat(body.path("model").asString()).isEqualTo("gpt-4o-mini");
			assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("user");
			assertThat(body.path("messages").get(0).path("content").asString()).isEqualTo("hi");
			assertThat(body.has("stream")).isFalse();
		});
	}

	@Test
	void callReportsCachedTokens() {
		this.server.enqueueChat("Cached.", RESPONSE_MODEL, 100, 3, 64);
		this.contextRunner.run((context) -> {
			ChatResponse response = context.getBean(ChatModel.class).call(new Prompt("hi"));

			assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(100);
			assertThat(response.getMetadata().getUsage().getCacheReadInputTokens()).isEqualTo(64L);
		});
	}

	@Test
	void callIsObservedAndMetered() {
		this.server.enqueueChat("Hi there!", RESPONSE_MODEL, 12, 5);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));

			RecordingHandler handler = context.getBean(RecordingHandler.class);
			assertThat(handler.stoppedNames()).contains("gen_ai.client.operation");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("gen_ai.client.operation").timer()).isNotNull();
			assertThat(meters.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").counter().count())
				.isEqualTo(12);
			assertThat(meters.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").counter().count())
				.isEqualTo(5);
		});
	}

	@Test
	void defaultAnswerWhenNothingIsScripted() {
		this.contextRunner.run((context) -> {
			ChatResponse response = context.getBean(ChatModel.class).call(new Prompt("hi"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo(OpenAiMockServer.DEFAULT_CHAT_CONTENT);
			assertThat(response.getMetadata().getModel()).isEqualTo("gpt-4o-mini");
			assertThat(response.getMetadata().getUsage().getTotalTokens()).isPositive();
		});
	}

	@Test
	void streamYieldsThePiecesInOrderAndTheUsageLast() {
		this.server.enqueueStream(List.of("Hel", "lo", " world", "!"), RESPONSE_MODEL, 8, 4);
		this.contextRunner.run((context) -> {
			List<ChatResponse> responses = context.getBean(ChatModel.class)
				.stream(new Prompt("hi"))
				.collectList()
				.block(Duration.ofSeconds(10));

			assertThat(texts(responses)).containsExactly("Hel", "lo", " world", "!");
			ChatResponse last = responses.get(responses.size() - 1);
			assertThat(last.getMetadata().getModel()).isEqualTo(RESPONSE_MODEL);
			assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(8);
			assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(4);
			assertThat(last.getMetadata().getUsage().getTotalTokens()).isEqualTo(12);

			RecordedRequest request = this.server.takeRequest();
			assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
			assertThat(request.jsonBody().path("stream").asBoolean()).isTrue();
			assertThat(request.jsonBody().path("stream_options").path("include_usage").asBoolean()).isTrue();
		});
	}

	@Test
	void chatClientStreamYieldsThePiecesAndTheUsage() {
		this.server.enqueueStream(List.of("One", ", two", ", three."), RESPONSE_MODEL, 7, 3);
		this.contextRunner.run((context) -> {
			ChatClient chatClient = context.getBean(ChatClient.Builder.class).build();
			List<ChatResponse> responses = chatClient.prompt("count")
				.stream()
				.chatResponse()
				.collectList()
				.block(Duration.ofSeconds(10));

			assertThat(String.join("", texts(responses))).isEqualTo("One, two, three.");
			ChatResponse last = responses.get(responses.size() - 1);
			assertThat(last.getMetadata().getUsage().getPromptTokens()).isEqualTo(7);
			assertThat(last.getMetadata().getUsage().getCompletionTokens()).isEqualTo(3);
		});
	}

	@Test
	void streamChunksAreSpacedByTheDelay() {
		Duration delay = Duration.ofMillis(150);
		this.server.enqueueStream(List.of("a", "b", "c"), RESPONSE_MODEL, 3, 3, delay);
		this.contextRunner.run((context) -> {
			List<Long> arrivals = new CopyOnWriteArrayList<>();
			long start = System.nanoTime();
			List<ChatResponse> responses = context.getBean(ChatModel.class)
				.stream(new Prompt("hi"))
				.doOnNext((response) -> arrivals.add(System.nanoTime()))
				.collectList()
				.block(Duration.ofSeconds(10));

			assertThat(texts(responses)).containsExactly("a", "b", "c");
			// Lower bounds from the start only: a busy machine may deliver the first chunk
			// late and the next ones together, but never before the server sent them
			long firstMillis = (arrivals.get(0) - start) / 1_000_000;
			long lastMillis = (arrivals.get(2) - start) / 1_000_000;
			assertThat(firstMillis).isGreaterThanOrEqualTo(delay.toMillis());
			assertThat(lastMillis).isGreaterThanOrEqualTo(3 * delay.toMillis());
		});
	}

	@Test
	void streamObservationStopsAfterTheLastResponse() {
		this.server.enqueueStream(List.of("x", "y"), RESPONSE_MODEL, 2, 2);
		this.contextRunner.run((context) -> {
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			context.getBean(ChatModel.class).stream(new Prompt("hi")).blockLast(Duration.ofSeconds(10));

			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(handler.stoppedNames()).contains("gen_ai.client.operation"));
			Observation.Context observed = handler.stopped("gen_ai.client.operation");
			assertThat(observed.getLowCardinalityKeyValue("gen_ai.response.model").getValue())
				.isEqualTo(RESPONSE_MODEL);
		});
	}

	@Test
	void toolCallRoundTripThroughChatClient() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_abc123", 40, 15)
			.enqueueChat("It is sunny in Paris.", RESPONSE_MODEL, 60, 8);
		this.contextRunner.run((context) -> {
			WeatherTools tools = new WeatherTools();
			ChatResponse response = context.getBean(ChatClient.Builder.class)
				.build()
				.prompt("What is the weather in Paris?")
				.tools(tools)
				.call()
				.chatResponse();

			assertThat(response.getResult().getOutput().getText()).isEqualTo("It is sunny in Paris.");
			assertThat(tools.cities).containsExactly("Paris");
			assertThat(this.server.requests()).hasSize(2);
			JsonNode first = this.server.takeRequest().jsonBody();
			assertThat(first.path("tools").get(0).path("function").path("name").asString())
				.isEqualTo("currentWeather");
			JsonNode messages = this.server.takeRequest().jsonBody().path("messages");
			JsonNode assistant = messages.get(messages.size() - 2);
			assertThat(assistant.path("role").asString()).isEqualTo("assistant");
			assertThat(assistant.path("tool_calls").get(0).path("id").asString()).isEqualTo("call_abc123");
			JsonNode toolResult = messages.get(messages.size() - 1);
			assertThat(toolResult.path("role").asString()).isEqualTo("tool");
			assertThat(toolResult.path("tool_call_id").asString()).isEqualTo("call_abc123");
			assertThat(toolResult.path("content").asString()).contains("Sunny in Paris");
		});
	}

	@Test
	void streamedToolCallRoundTripThroughChatClient() {
		this.server.enqueueStreamedToolCall("currentWeather", "{\"city\":\"Oslo\"}", "call_def456", RESPONSE_MODEL, 40, 15)
			.enqueueStream(List.of("Snow ", "in Oslo."), RESPONSE_MODEL, 60, 8);
		this.contextRunner.run((context) -> {
			WeatherTools tools = new WeatherTools();
			List<ChatResponse> responses = context.getBean(ChatClient.Builder.class)
				.build()
				.prompt("What is the weather in Oslo?")
				.tools(tools)
				.stream()
				.chatResponse()
				.collectList()
				.block(Duration.ofSeconds(10));

			assertThat(tools.cities).containsExactly("Oslo");
			assertThat(String.join("", texts(responses))).isEqualTo("Snow in Oslo.");
			assertThat(this.server.requests()).hasSize(2);
			JsonNode messages = this.server.requests().get(1).jsonBody().path("messages");
			JsonNode toolResult = messages.get(messages.size() - 1);
			assertThat(toolResult.path("role").asString()).isEqualTo("tool");
			assertThat(toolResult.path("tool_call_id").asString()).isEqualTo("call_def456");
		});
	}

	@Test
	void rateLimitSurfacesAsRateLimitExceptionAfterOneAttempt() {
		this.server.enqueueError(429, "rate_limit_exceeded", "Rate limit reached for gpt-4o-mini");
		this.contextRunner.run((context) -> {
			long start = System.nanoTime();
			assertThatExceptionOfType(RateLimitException.class)
				.isThrownBy(() -> context.getBean(ChatModel.class).call(new Prompt("hi")))
				.satisfies((ex) -> {
					assertThat(ex.statusCode()).isEqualTo(429);
					assertThat(ex.getMessage()).contains("Rate limit reached");
				});
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			assertThat(this.server.requests()).hasSize(1);
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			assertThat(handler.stopped("gen_ai.client.operation").getError()).isInstanceOf(RateLimitException.class);
		});
	}

	@Test
	void serverErrorSurfacesAsInternalServerExceptionAfterOneAttempt() {
		this.server.enqueueError(500, "server_error", "The server had an error while processing your request.");
		this.contextRunner.run((context) -> {
			assertThatExceptionOfType(InternalServerException.class)
				.isThrownBy(() -> context.getBean(ChatModel.class).call(new Prompt("hi")))
				.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(500));
			assertThat(this.server.requests()).hasSize(1);
		});
	}

	@Test
	void sdkRetriesAreInvisibleToSpringAi() {
		this.server.enqueueError(OpenAiMockServer.CHAT_COMPLETIONS, 500, "server_error", null, "Try again.",
				Map.of("retry-after-ms", "10"));
		this.contextRunner.withPropertyValues("spring.ai.openai.max-retries=2").run((context) -> {
			ChatResponse response = context.getBean(ChatModel.class).call(new Prompt("hi"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo(OpenAiMockServer.DEFAULT_CHAT_CONTENT);
			List<RecordedRequest> requests = this.server.requests();
			assertThat(requests).hasSize(2);
			assertThat(requests.get(0).header("x-stainless-retry-count")).isEqualTo("0");
			assertThat(requests.get(1).header("x-stainless-retry-count")).isEqualTo("1");
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			assertThat(handler.stoppedNames()).containsOnlyOnce("gen_ai.client.operation");
			assertThat(handler.stopped("gen_ai.client.operation").getError()).isNull();
		});
	}

	@Test
	void rateLimitIsRetriedBySdkUntilMaxRetries() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueueError(OpenAiMockServer.CHAT_COMPLETIONS, 429, "requests", "rate_limit_exceeded",
					"Rate limit reached", Map.of("retry-after-ms", "10"));
		}
		this.contextRunner.withPropertyValues("spring.ai.openai.max-retries=2").run((context) -> {
			assertThatExceptionOfType(RateLimitException.class)
				.isThrownBy(() -> context.getBean(ChatModel.class).call(new Prompt("hi")));
			assertThat(this.server.requests()).hasSize(3);
		});
	}

	@Test
	void springAiDefaultIsThreeSdkRetries() {
		for (int i = 0; i < 4; i++) {
			this.server.enqueueError(OpenAiMockServer.CHAT_COMPLETIONS, 429, "requests", "rate_limit_exceeded",
					"Rate limit reached", Map.of("retry-after-ms", "10"));
		}
		new ApplicationContextRunner().withConfiguration(SPRING_AI_OPENAI)
			.withPropertyValues("spring.ai.openai.base-url=" + this.server.baseUrl(),
					"spring.ai.openai.api-key=" + API_KEY)
			.run((context) -> {
				assertThatExceptionOfType(RateLimitException.class)
					.isThrownBy(() -> context.getBean(ChatModel.class).call(new Prompt("hi")));
				assertThat(this.server.requests()).hasSize(4);
			});
	}

	@Test
	void streamErrorSurfacesAsCompletionExceptionAroundTheSdkException() {
		this.server.enqueueError(429, "rate_limit_exceeded", "Rate limit reached for gpt-4o-mini");
		this.contextRunner.run((context) -> {
			Flux<ChatResponse> stream = context.getBean(ChatModel.class).stream(new Prompt("hi"));
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> stream.blockLast(Duration.ofSeconds(10)))
				.withCauseInstanceOf(RateLimitException.class);
			assertThat(this.server.requests()).hasSize(1);
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(handler.stoppedNames()).contains("gen_ai.client.operation"));
			assertThat(handler.stopped("gen_ai.client.operation").getError()).isInstanceOf(CompletionException.class)
				.hasCauseInstanceOf(RateLimitException.class);
		});
	}

	@Test
	void everyHttpAttemptIsAnOkHttpObservation() {
		this.server.enqueueError(OpenAiMockServer.CHAT_COMPLETIONS, 500, "server_error", null, "Try again.",
				Map.of("retry-after-ms", "10"));
		this.contextRunner.withPropertyValues("spring.ai.openai.max-retries=1").run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));

			RecordingHandler handler = context.getBean(RecordingHandler.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(handler.stoppedNames()).filteredOn("okhttp.requests"::equals)
					.hasSize(2));
			assertThat(handler.stoppedNames()).filteredOn("gen_ai.client.operation"::equals).hasSize(1);
		});
	}

	@Test
	void embeddingHasTheScriptedDimensions() {
		this.server.enqueueEmbedding(16, 3);
		this.contextRunner.run((context) -> {
			float[] vector = context.getBean(EmbeddingModel.class).embed("some text");

			assertThat(vector).hasSize(16);
			RecordedRequest request = this.server.takeRequest();
			assertThat(request.path()).isEqualTo(OpenAiMockServer.EMBEDDINGS);
			assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
			assertThat(request.jsonBody().path("input").toString()).contains("some text");
		});
	}

	@Test
	void embeddingOfSeveralTextsAndItsUsage() {
		this.server.enqueueEmbedding(4, 11);
		this.contextRunner.run((context) -> {
			var response = context.getBean(EmbeddingModel.class).embedForResponse(List.of("one", "two", "three"));

			assertThat(response.getResults()).hasSize(3).allSatisfy((result) -> assertThat(result.getOutput()).hasSize(4));
			assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(11);
		});
	}

	@Test
	void concurrentCallsAreServed() {
		this.contextRunner.run((context) -> {
			ChatModel chatModel = context.getBean(ChatModel.class);
			List<ChatResponse> responses = Flux.range(0, 8)
				.flatMap((i) -> Mono.fromCallable(() -> chatModel.call(new Prompt("hi " + i)))
					.subscribeOn(Schedulers.boundedElastic()))
				.collectList()
				.block(Duration.ofSeconds(20));

			assertThat(responses).hasSize(8);
			assertThat(this.server.requests()).hasSize(8);
		});
	}

	@Test
	void unknownPathIsNotFound() throws Exception {
		HttpURLConnection connection = (HttpURLConnection) URI.create(this.server.baseUrl() + "/nope")
			.toURL()
			.openConnection();
		assertThat(connection.getResponseCode()).isEqualTo(404);
		assertThat(new String(connection.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
			.contains("\"invalid_request_error\"");
		assertThat(this.server.takeRequest().method()).isEqualTo("GET");
	}

	private static List<String> texts(List<ChatResponse> responses) {
		List<String> texts = new ArrayList<>();
		for (ChatResponse response : responses) {
			if (response.getResult() != null && response.getResult().getOutput().getText() != null
					&& !response.getResult().getOutput().getText().isEmpty()) {
				texts.add(response.getResult().getOutput().getText());
			}
		}
		return texts;
	}

	static class WeatherTools {

		final List<String> cities = new CopyOnWriteArrayList<>();

		@Tool(description = "The current weather in a city")
		String currentWeather(@ToolParam(description = "The city") String city) {
			this.cities.add(city);
			return "Sunny in " + city + ", 21°C";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingConfiguration {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	/**
	 * Records the observations stopped.
	 */
	static class RecordingHandler implements ObservationHandler<Observation.Context> {

		private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		List<String> stoppedNames() {
			return this.stopped.stream().map(Observation.Context::getName).filter(Objects::nonNull).toList();
		}

		Observation.Context stopped(String name) {
			return this.stopped.stream()
				.filter((context) -> name.equals(context.getName()))
				.reduce((first, second) -> second)
				.orElseThrow(() -> new AssertionError("No observation " + name + " in " + stoppedNames()));
		}

	}

}
