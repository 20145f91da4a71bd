package io.github.agentobservability.ai;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.annotation.SpanAttribute;
import io.github.agentobservability.annotation.Traced;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The real Spring AI OpenAI client against {@link OpenAiMockServer}, with every
 * auto-configuration of the test classpath: one enriched span per model call, typed
 * usage and cost, tools and agent runs, streams, errors and content capture.
 */
@ExtendWith(OutputCaptureExtension.class)
class GenAiInstrumentationTests extends OpenAiApplicationTests {

	static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");

	static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

	static final AttributeKey<Double> COST = AttributeKey.doubleKey("gen_ai.usage.cost.amount");

	static final String SECRET = "zebra-unicorn-4711";

	GenAiInstrumentationTests() {
		super(TestApplication.class);
	}

	@Test
	void aCallHasExactlyOneModelSpanWithTypedUsageAndExactCost() {
		this.server.enqueueChat("Hello.", OpenAiMockServerTests.RESPONSE_MODEL, 812, 95);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
			var attributes = chat.getAttributes();
			assertThat(attributes.get(INPUT_TOKENS)).isEqualTo(812L);
			assertThat(attributes.get(OUTPUT_TOKENS)).isEqualTo(95L);
			assertThat(attributes.get(AttributeKey.longKey("gen_ai.usage.total_tokens"))).isEqualTo(907L);
			assertThat(attributes.get(AttributeKey.stringKey("gen_ai.usage.input_tokens"))).isNull();
			assertThat(attributes.get(COST)).isEqualTo(new BigDecimal("0.0001788").doubleValue());
			assertThat(attributes.get(AttributeKey.stringKey("gen_ai.usage.cost.currency"))).isEqualTo("USD");
			assertThat(attributes.get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
			assertThat(attributes.get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
			assertThat(attributes.get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o-mini");
			assertThat(attributes.get(AttributeKey.stringKey("gen_ai.response.model")))
				.isEqualTo(OpenAiMockServerTests.RESPONSE_MODEL);
			assertThat(attributes.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
				.containsExactly("stop");
			assertThat(attributes.get(AttributeKey.stringKey("llm.model"))).isEqualTo(OpenAiMockServerTests.RESPONSE_MODEL);
			assertThat(attributes.get(AttributeKey.stringKey("llm.provider"))).isEqualTo("openai");
			assertThat(attributes.get(AttributeKey.longKey("llm.tokens.input"))).isEqualTo(812L);
			assertThat(attributes.get(AttributeKey.longKey("llm.tokens.output"))).isEqualTo(95L);
			assertThat(attributes.get(AttributeKey.longKey("llm.tokens.total"))).isEqualTo(907L);
			assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
			assertThat(attributes.get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
			assertThat(attributes.get(AttributeKey.longKey("server.port"))).isEqualTo((long) this.server.port());
			assertThat(attributes.get(AttributeKey.stringKey("gen_ai.system"))).as("deprecated").isNull();
		});
	}

	@Test
	void cachedInputTokensArePricedAtTheCachedRate() {
		this.server.enqueueChat("Hello.", OpenAiMockServerTests.RESPONSE_MODEL, 1000, 100, 600);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			var attributes = awaitSingleSpan(context, "chat gpt-4o-mini").getAttributes();
			assertThat(attributes.get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"))).isEqualTo(600L);
			// 400 × 0.15 + 600 × 0.075 + 100 × 0.60, per million
			assertThat(attributes.get(COST)).isEqualTo(new BigDecimal("0.000165").doubleValue());
		});
	}

	@Test
	void legacyAttributesCanBeSwitchedOff() {
		this.server.enqueueChat("Hello.", OpenAiMockServerTests.RESPONSE_MODEL, 10, 2);
		this.contextRunner.withPropertyValues("agent.observability.ai.legacy-attributes=false").run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			var attributes = awaitSingleSpan(context, "chat gpt-4o-mini").getAttributes();
			assertThat(attributes.get(AttributeKey.stringKey("llm.model"))).isNull();
			assertThat(attributes.get(AttributeKey.longKey("llm.tokens.input"))).isNull();
			assertThat(attributes.get(INPUT_TOKENS)).isEqualTo(10L);
		});
	}

	@Test
	void unknownModelGetsNoCostAndOneWarning(CapturedOutput output) {
		this.server.enqueueChat("Hello.", "acme-llm-9", 10, 2).enqueueChat("Hello.", "acme-llm-9", 10, 2);
		this.contextRunner.run((context) -> {
			ChatModel model = context.getBean(ChatModel.class);
			model.call(new Prompt("hi"));
			model.call(new Prompt("hi again"));
			await().untilAsserted(() -> assertThat(spansNamed(context, "chat gpt-4o-mini")).hasSize(2));
			assertThat(spansNamed(context, "chat gpt-4o-mini"))
				.allSatisfy((span) -> assertThat(span.getAttributes().get(COST)).isNull());
			assertThat(output.getAll().split("No price for model 'acme-llm-9'", -1)).hasSize(2);
			assertThat(meters(context).name("agent.tokens.cost.usd").counters()).isEmpty();
		});
	}

	@Test
	void agentRunAttributesChatClientCallsTokensAndCostToTheAgent() {
		this.server.enqueueChat("Sunny.", OpenAiMockServerTests.RESPONSE_MODEL, 812, 95);
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(SupportAgent.class).ask("weather?", "conv-42")).isEqualTo("Sunny.");
			SpanData agent = awaitSingleSpan(context, "invoke_agent support");
			SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
			assertThat(agent.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
				.isEqualTo("invoke_agent");
			assertThat(agent.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name"))).isEqualTo("support");
			assertThat(agent.getAttributes().get(AttributeKey.stringKey("gen_ai.conversation.id")))
				.isEqualTo("conv-42");
			assertThat(ancestors(context, chat)).contains(agent.getSpanId());
			assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name"))).isEqualTo("support");
			assertThat(agent.getAttributes().get(AttributeKey.longKey("agent.output_length"))).isEqualTo(6L);
			assertThat(agent.getAttributes().get(AttributeKey.stringKey("agent.input"))).as("content capture is off")
				.isNull();
			assertThat(agent.getAttributes().get(INPUT_TOKENS)).as("the run's input tokens").isEqualTo(812L);
			assertThat(agent.getAttributes().get(OUTPUT_TOKENS)).as("the run's output tokens").isEqualTo(95L);
			assertThat(agent.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
				.containsExactly("stop");
			// Spring AI's ChatClient and advisor spans are folded: the model call is the run's child
			assertThat(chat.getParentSpanId()).isEqualTo(agent.getSpanId());
			assertThat(spans(context)).extracting(SpanData::getName)
				.doesNotContain("spring_ai chat_client", "chat_client", "call", "tool _calling ", "tool_calling");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("agent.tokens").tags("agent", "support", "model", "gpt-4o-mini", "type", "input").counter().count()).isEqualTo(812);
			assertThat(meters.get("agent.tokens").tags("agent", "support", "type", "output").counter().count())
				.isEqualTo(95);
			assertThat(meters.get("agent.tokens.cost.usd").tags("agent", "support").counter().count())
				.isEqualTo(chat.getAttributes().get(COST));
			assertThat(meters.get("agent.requests").tags("agent", "support", "outcome", "success").counter().count())
				.isEqualTo(1);
			assertThat(meters.get("agent.requests.active").tags("agent", "support").gauge().value()).isZero();
		});
	}

	@Test
	void agentMetersTagTheModelAskedForAndTheSpanKeepsTheModelThatAnswered() {
		this.server.enqueueStream(List.of("Sun", "ny."), OpenAiMockServerTests.RESPONSE_MODEL, 40, 3,
				Duration.ofMillis(60));
		this.contextRunner.run((context) -> {
			context.getBean(SupportAgent.class).stream("weather?").collectList().block();
			SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
			assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
				.isEqualTo(OpenAiMockServerTests.RESPONSE_MODEL);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters(context).tags("agent", "support", "model", "gpt-4o-mini").meters())
					.extracting((meter) -> meter.getId().getName())
					.contains("agent.tokens", "agent.tokens.cost.usd", "agent.model.duration",
							"agent.model.time_to_first_chunk"));
			assertThat(meters(context).tag("model", OpenAiMockServerTests.RESPONSE_MODEL).meters()).isEmpty();
			assertThat(meters(context).tags("gen_ai.request.model", "gpt-4o-mini", "gen_ai.response.model",
					OpenAiMockServerTests.RESPONSE_MODEL)
				.meters()).as("the GenAI metrics keep both models").isNotEmpty();
		});
	}

	@Test
	void aModelAskedForWithAPrefixAndADateIsTaggedByItsName() {
		this.server.enqueueChat("Hello.", "gpt-4o-2024-08-06", 10, 2);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class)
				.call(new Prompt("hi", OpenAiChatOptions.builder().model("OpenAI/GPT-4o-2024-08-06").build()));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters(context).name("agent.tokens")
					.tags("agent", "none", "model", "gpt-4o", "type", "input")
					.counter()).isNotNull()
					.extracting((counter) -> counter.count())
					.isEqualTo(10.0));
		});
	}

	@Test
	void aStreamHasOneModelSpanWithUsageTimeToFirstChunkAndTheAgentAsAncestor() {
		this.server.enqueueStream(List.of("Sun", "ny", "."), OpenAiMockServerTests.RESPONSE_MODEL, 40, 3,
				Duration.ofMillis(60));
		this.contextRunner.run((context) -> {
			String answer = String.join("", context.getBean(SupportAgent.class).stream("weather?").collectList().block());
			assertThat(answer).isEqualTo("Sunny.");
			SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
			SpanData agent = awaitSingleSpan(context, "invoke_agent support");
			assertThat(chat.getAttributes().get(INPUT_TOKENS)).isEqualTo(40L);
			assertThat(chat.getAttributes().get(OUTPUT_TOKENS)).isEqualTo(3L);
			assertThat(chat.getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream"))).isTrue();
			assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.request.stream"))).isNull();
			Double firstChunk = chat.getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk"));
			assertThat(firstChunk).isNotNull().isGreaterThanOrEqualTo(0.06).isLessThan(chat.getEndEpochNanos() / 1e9 - chat.getStartEpochNanos() / 1e9);
			assertThat(ancestors(context, chat)).contains(agent.getSpanId());
			assertThat(chat.getTraceId()).isEqualTo(agent.getTraceId());
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().untilAsserted(() -> assertThat(meters.get("agent.model.time_to_first_chunk").tags("agent", "support").timer().count()).isEqualTo(1));
		});
	}

	@Test
	void aStreamedRunThatEndsBeforeItsModelCallStillCarriesTheCallsUsage() {
		this.server.enqueueStream(List.of("Sun", "ny."), OpenAiMockServerTests.RESPONSE_MODEL, 40, 3);
		// Spring AI publishes a stream's chunks on another thread: the run's Flux completes
		// while the model call's observation is still stopping, here for 300 ms.
		this.contextRunner.withBean("slowModelCallStop", ObservationHandler.class, SlowModelCallStop::new)
			.run((context) -> {
				assertThat(context.getBean(SupportAgent.class).stream("weather?").collectList().block())
					.containsExactly("Sun", "ny.");
				SpanData agent = awaitSingleSpan(context, "invoke_agent support");
				SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
				assertThat(agent.getAttributes().get(INPUT_TOKENS)).isEqualTo(40L);
				assertThat(agent.getAttributes().get(OUTPUT_TOKENS)).isEqualTo(3L);
				assertThat(agent.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
					.containsExactly("stop");
				assertThat(agent.getEndEpochNanos()).as("the run's span ends when the run did")
					.isLessThan(chat.getEndEpochNanos());
			});
	}

	@Test
	void aDirectModelStreamHasOneSpanWithTheUsageOfTheFinalChunk() {
		this.server.enqueueStream(List.of("a", "b"), OpenAiMockServerTests.RESPONSE_MODEL, 7, 2);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).stream(new Prompt("hi")).collectList().block();
			SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
			assertThat(chat.getAttributes().get(INPUT_TOKENS)).isEqualTo(7L);
			assertThat(chat.getAttributes().get(OUTPUT_TOKENS)).isEqualTo(2L);
		});
	}

	@Test
	void aStreamCancelledMidwayEndsItsSpanMarkedAndLeavesNoActiveRun() {
		this.server.enqueueStream(List.of("one ", "two ", "three ", "four"), OpenAiMockServerTests.RESPONSE_MODEL, 5,
				4, Duration.ofMillis(100));
		this.contextRunner.run((context) -> {
			List<String> first = context.getBean(SupportAgent.class).stream("count").take(1).collectList().block();
			assertThat(first).containsExactly("one ");
			SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
			assertThat(chat.getAttributes().get(AttributeKey.booleanKey("gen_ai.response.cancelled"))).isTrue();
			SpanData agent = awaitSingleSpan(context, "invoke_agent support");
			assertThat(agent.getAttributes().get(AttributeKey.stringKey("status"))).isEqualTo("cancelled");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("agent.requests.active").tags("agent", "support").gauge().value()).isZero();
		});
	}

	@Test
	void toolCallsAreSpansUnderTheAgentRunAndCountInTheToolMetrics() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("It is sunny in Paris.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(SupportAgent.class).askWithTools("Paris?")).isEqualTo("It is sunny in Paris.");
			SpanData tool = awaitSingleSpan(context, "execute_tool currentWeather");
			SpanData agent = awaitSingleSpan(context, "invoke_agent support");
			assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("currentWeather");
			assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.id"))).isEqualTo("call_1");
			assertThat(tool.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
			assertThat(ancestors(context, tool)).contains(agent.getSpanId());
			assertThat(spansNamed(context, "chat gpt-4o-mini")).hasSize(2);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("agent.tools.calls").tags("agent", "support", "tool", "currentWeather").counter().count()).isEqualTo(1);
			assertThat(meters.get("agent.tokens").tags("agent", "support", "type", "input").counter().count()).isEqualTo(120);
		});
	}

	@Test
	void aFailingToolIsAnErrorSpanAndCountsAsAToolError() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Atlantis\"}", "call_2", 50, 10)
			.enqueueChat("I could not get the weather.", OpenAiMockServerTests.RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(SupportAgent.class).askWithTools("Atlantis?")).isEqualTo("I could not get the weather.");
			SpanData tool = awaitSingleSpan(context, "execute_tool currentWeather");
			assertThat(tool.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(tool.getAttributes().get(AttributeKey.stringKey("error.type"))).isNotBlank();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("agent.tools.errors").tags("agent", "support", "tool", "currentWeather").counters())
				.as("the failure's error type, beside the series at zero")
				.extracting((errors) -> errors.getId().getTag("error_type"), (errors) -> errors.count())
				.containsExactlyInAnyOrder(tuple("", 0.0), tuple(tool.getAttributes().get(AttributeKey.stringKey("error.type")), 1.0));
		});
	}

	@Test
	void aRateLimitIsAnErrorModelSpanAndAFailedAgentRun() {
		this.server.enqueueError(429, "rate_limit_exceeded", "Rate limit reached");
		this.contextRunner.run((context) -> {
			assertThatException().isThrownBy(() -> context.getBean(SupportAgent.class).ask("hi", "c"));
			SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
			assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(chat.getAttributes().get(AttributeKey.stringKey("error.type")))
				.isEqualTo("com.openai.errors.RateLimitException");
			SpanData agent = awaitSingleSpan(context, "invoke_agent support");
			assertThat(agent.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("agent.requests.errors").tags("agent", "support", "error_type", "com.openai.errors.RateLimitException").counter().count()).isEqualTo(1);
			assertThat(meters.get("agent.requests").tags("agent", "support", "outcome", "error").counter().count()).isEqualTo(1);
		});
	}

	@Test
	void aServerErrorInAStreamNamesTheProviderException() {
		this.server.enqueueError(500, "server_error", "The server had an error");
		this.contextRunner.run((context) -> {
			assertThatException().isThrownBy(() -> context.getBean(ChatModel.class).stream(new Prompt("hi")).blockLast());
			SpanData chat = awaitSingleSpan(context, "chat gpt-4o-mini");
			assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(chat.getAttributes().get(AttributeKey.stringKey("error.type")))
				.isEqualTo("com.openai.errors.InternalServerException");
		});
	}

	@Test
	void byDefaultNoPromptCompletionOrKeyReachesSpansMetersOrLogs(CapturedOutput output) {
		this.server.enqueueChat("The answer mentions " + SECRET + ".", OpenAiMockServerTests.RESPONSE_MODEL, 10, 5);
		this.contextRunner.run((context) -> {
			context.getBean(SupportAgent.class).ask("Tell me about " + SECRET, "c");
			awaitSingleSpan(context, "chat gpt-4o-mini");
			assertThat(spans(context)).allSatisfy((span) -> assertThat(span.toString()).doesNotContain(SECRET)
				.doesNotContain(OpenAiMockServerTests.API_KEY));
			meters(context).meters()
				.forEach((meter) -> assertThat(meter.getId().toString()).doesNotContain(SECRET)
					.doesNotContain(OpenAiMockServerTests.API_KEY));
			assertThat(output.getAll()).doesNotContain(SECRET).doesNotContain(OpenAiMockServerTests.API_KEY);
		});
	}

	@Test
	void contentCaptureRecordsTheAgentRunsInputRedactedAndTruncated() {
		this.server.enqueueChat("Sunny.", OpenAiMockServerTests.RESPONSE_MODEL, 10, 2);
		this.contextRunner
			.withPropertyValues("agent.observability.content.capture=true", "agent.observability.content.max-length=60")
			.run((context) -> {
				context.getBean(SupportAgent.class)
					.ask("Mail jane.doe@example.com about the weather " + "y".repeat(200), "conv-1");
				SpanData agent = awaitSingleSpan(context, "invoke_agent support");
				String input = agent.getAttributes().get(AttributeKey.stringKey("agent.input"));
				assertThat(input).startsWith("Mail [REDACTED:email] about the weather")
					.doesNotContain("jane.doe")
					.doesNotContain("y".repeat(100));
				assertThat(agent.getAttributes().get(AttributeKey.longKey("agent.output_length"))).isEqualTo(6L);
			});
	}

	@Test
	void contentCaptureRecordsRedactedTruncatedMessages(CapturedOutput output) {
		this.server.enqueueChat("Write to jane.doe@example.com, card 4111 1111 1111 1111.",
				OpenAiMockServerTests.RESPONSE_MODEL, 10, 5);
		this.contextRunner
			.withPropertyValues("agent.observability.content.capture=true", "agent.observability.content.max-length=200",
					"agent.observability.content.redaction.patterns[0]=zebra-[a-z]+-\\d+")
			.run((context) -> {
				context.getBean(ChatModel.class)
					.call(new Prompt("My key is sk-proj-abcdefghijklmnopqrstuvwxyz0123456789 and " + SECRET + " "
							+ "x".repeat(500)));
				var attributes = awaitSingleSpan(context, "chat gpt-4o-mini").getAttributes();
				String input = attributes.get(AttributeKey.stringKey("gen_ai.input.messages"));
				String outputMessages = attributes.get(AttributeKey.stringKey("gen_ai.output.messages"));
				assertThat(input).startsWith("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"My key is [REDACTED")
					.doesNotContain("sk-proj-")
					.doesNotContain(SECRET)
					.contains("truncated")
					.doesNotContain("x".repeat(300));
				assertThat(outputMessages).contains("\"role\":\"assistant\"")
					.contains("[REDACTED:email]")
					.contains("[REDACTED:card-number]")
					.doesNotContain("jane.doe")
					.contains("\"finish_reason\":\"stop\"");
				assertThat(output.getAll()).contains("Content capture is on");
			});
	}

	@Test
	void embeddingCallsGetTypedUsageAndCost() {
		this.server.enqueueEmbedding(8, 12);
		this.contextRunner.run((context) -> {
			context.getBean(EmbeddingModel.class).embed("some text");
			SpanData embedding = await().until(() -> spans(context).stream()
				.filter((span) -> span.getName().startsWith("embeddings "))
				.findFirst(), java.util.Optional::isPresent).orElseThrow();
			assertThat(embedding.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(embedding.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
				.isEqualTo("embeddings");
			assertThat(embedding.getAttributes().get(INPUT_TOKENS)).isEqualTo(12L);
			assertThat(embedding.getAttributes().get(COST)).isNotNull().isPositive();
		});
	}

	@Test
	void pricesFromPropertiesOverrideTheBuiltInTable() {
		this.server.enqueueChat("Hello.", OpenAiMockServerTests.RESPONSE_MODEL, 1000, 1000);
		this.contextRunner
			.withPropertyValues("agent.observability.pricing.models.gpt-4o-mini.input-per-million=1",
					"agent.observability.pricing.models.gpt-4o-mini.output-per-million=2")
			.run((context) -> {
				context.getBean(ChatModel.class).call(new Prompt("hi"));
				assertThat(awaitSingleSpan(context, "chat gpt-4o-mini").getAttributes().get(COST)).isEqualTo(0.003);
			});
	}

	@Test
	void aPricingEntryWithoutOutputPriceFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("agent.observability.pricing.models.my-model.input-per-million=1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("agent.observability.pricing.models.my-model.output-per-million"));
	}

	@Test
	void callsOutsideAnyAgentRunAreTaggedNone() {
		this.server.enqueueChat("Hello.", OpenAiMockServerTests.RESPONSE_MODEL, 10, 2);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			awaitSingleSpan(context, "chat gpt-4o-mini");
			assertThat(context.getBean(MeterRegistry.class)
				.get("agent.tokens")
				.tags("agent", "none", "type", "input")
				.counter()
				.count()).isEqualTo(10);
		});
	}

	@Test
	void vectorStoreSearchesAreRetrievalSpansWithTheNumberOfDocumentsReturned() {
		this.contextRunner.run((context) -> {
			SimpleVectorStore store = SimpleVectorStore.builder(context.getBean(EmbeddingModel.class))
				.observationRegistry(context.getBean(io.micrometer.observation.ObservationRegistry.class))
				.build();
			store.add(List.of(new Document("alpha"), new Document("beta"), new Document("gamma")));
			List<Document> found = store.similaritySearch(SearchRequest.builder().query("alpha").topK(2).build());
			assertThat(found).hasSize(2);
			SpanData query = await().until(() -> spans(context).stream()
				.filter((span) -> span.getName().startsWith("retrieval "))
				.findFirst(), java.util.Optional::isPresent).orElseThrow();
			assertThat(query.getAttributes().get(AttributeKey.longKey("retrieval.doc_count"))).isEqualTo(2L);
			assertThat(query.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(query.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("retrieval");
			assertThat(query.getAttributes().get(AttributeKey.longKey("gen_ai.retrieval.top_k"))).isEqualTo(2L);
			String dataSource = query.getAttributes().get(AttributeKey.stringKey("gen_ai.data_source.id"));
			assertThat(dataSource).isNotBlank();
			assertThat(query.getName()).isEqualTo("retrieval " + dataSource);
		});
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

	private static List<String> ancestors(ApplicationContext context, SpanData span) {
		List<SpanData> all = spans(context);
		java.util.List<String> ids = new java.util.ArrayList<>();
		String parent = span.getParentSpanId();
		while (parent != null && !parent.equals("0000000000000000")) {
			ids.add(parent);
			String current = parent;
			parent = all.stream()
				.filter((candidate) -> candidate.getSpanId().equals(current))
				.map(SpanData::getParentSpanId)
				.findFirst()
				.orElse(null);
		}
		return ids;
	}

	private static Search meters(ApplicationContext context) {
		return Search.in(context.getBean(MeterRegistry.class));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

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
		public String ask(String question, @SpanAttribute("gen_ai.conversation.id") String conversationId) {
			return this.chatClient.prompt(question).call().content();
		}

		@Traced(agent = "support")
		public String askWithTools(String question) {
			return this.chatClient.prompt(question).tools(new WeatherTools()).call().content();
		}

		@Traced(agent = "support")
		public Flux<String> stream(String question) {
			return this.chatClient.prompt(question).stream().content();
		}

	}

	static class SlowModelCallStop implements ObservationHandler<ChatModelObservationContext> {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ChatModelObservationContext;
		}

		@Override
		public void onStop(ChatModelObservationContext context) {
			try {
				Thread.sleep(300);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	static class WeatherTools {

		@Tool(description = "Current weather in a city")
		public String currentWeather(String city) {
			if (city.equals("Atlantis")) {
				throw new IllegalStateException("No weather station in " + city);
			}
			return "sunny";
		}

	}

}
