package io.github.agentobservability.ai;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.ai.GenAiInstrumentationTests.SupportAgent;
import io.github.agentobservability.ai.GenAiInstrumentationTests.WeatherTools;
import io.github.agentobservability.metrics.GenAiMeters;
import io.github.agentobservability.metrics.internal.GenAiMetrics;
import io.github.agentobservability.metrics.internal.SpringAiTokenUsageCounterFilter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The OpenTelemetry GenAI histograms after known calls of the real Spring AI OpenAI client
 * against {@link OpenAiMockServer}, with every auto-configuration of the test classpath
 * (Boot's Prometheus registry among them): counts, sums, bucket counts at the advised
 * boundaries and tags, and Spring AI's token counter out of their way.
 */
class GenAiSemconvMetricsTests extends OpenAiApplicationTests {

	private static final String RESPONSE_MODEL = OpenAiMockServerTests.RESPONSE_MODEL;

	GenAiSemconvMetricsTests() {
		super(GenAiInstrumentationTests.TestApplication.class);
	}

	@Test
	void aChatCallRecordsItsDurationAndTokenUsageWithTheConventionsAttributes() {
		this.server.enqueueChat("Hello.", RESPONSE_MODEL, 812, 95);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Tags chat = chatTags("gpt-4o-mini", RESPONSE_MODEL);
			Timer duration = awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION, chat.and("error.type", ""));
			assertThat(duration.count()).isEqualTo(1);
			assertThat(bucketCount(duration, 81.92)).isEqualTo(1);
			DistributionSummary input = summary(meters, chat.and("gen_ai.token.type", "input"));
			assertThat(input.count()).isEqualTo(1);
			assertThat(input.totalAmount()).isEqualTo(812);
			assertThat(bucketCount(input, 256)).isZero();
			assertThat(bucketCount(input, 1024)).isEqualTo(1);
			DistributionSummary output = summary(meters, chat.and("gen_ai.token.type", "output"));
			assertThat(output.totalAmount()).isEqualTo(95);
			assertThat(bucketCount(output, 64)).isZero();
			assertThat(bucketCount(output, 256)).isEqualTo(1);
			assertThat(meters.find(GenAiMeters.CLIENT_TOKEN_USAGE.getName()).summaries()).hasSize(2);
		});
	}

	@Test
	void histogramsHaveExactlyTheAdvisedBuckets() {
		this.server.enqueueChat("Hello.", RESPONSE_MODEL, 10, 2);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Timer duration = awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION,
					chatTags("gpt-4o-mini", RESPONSE_MODEL).and("error.type", ""));
			assertThat(boundaries(duration.takeSnapshot(), true))
				.containsExactly(GenAiMeters.CLIENT_OPERATION_DURATION.getBucketBoundaries());
			DistributionSummary input = summary(meters,
					chatTags("gpt-4o-mini", RESPONSE_MODEL).and("gen_ai.token.type", "input"));
			assertThat(boundaries(input.takeSnapshot(), false))
				.containsExactly(GenAiMeters.CLIENT_TOKEN_USAGE.getBucketBoundaries());
		});
	}

	@Test
	void springAisTokenCounterIsDroppedAndItsTimerKept() {
		this.server.enqueueChat("Hello.", RESPONSE_MODEL, 12, 5);
		this.contextRunner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION,
					chatTags("gpt-4o-mini", RESPONSE_MODEL).and("error.type", ""));
			assertThat(context).hasSingleBean(SpringAiTokenUsageCounterFilter.class);
			assertThat(meters.find("gen_ai.client.token.usage").counters()).isEmpty();
			assertThat(meters.get("gen_ai.client.operation").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void aFailedCallHasItsErrorTypeNoResponseModelAndNoTokenUsage() {
		this.server.enqueueError(429, "rate_limit_exceeded", "Rate limit reached");
		this.contextRunner.run((context) -> {
			assertThatException().isThrownBy(() -> context.getBean(SupportAgent.class)
				.ask("hi", "c"));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Timer duration = awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION,
					chatTags("gpt-4o-mini", "").and("error.type", "com.openai.errors.RateLimitException"));
			assertThat(duration.count()).isEqualTo(1);
			assertThat(meters.find(GenAiMeters.CLIENT_TOKEN_USAGE.getName()).meters()).isEmpty();
			Timer run = awaitTimer(meters, GenAiMeters.INVOKE_AGENT_DURATION,
					Tags.of("gen_ai.agent.name", "support", "error.type", "com.openai.errors.RateLimitException"));
			assertThat(run.count()).isEqualTo(1);
		});
	}

	@Test
	void anAgentRunRecordsItsInvocationDurationWithoutErrorType() {
		this.server.enqueueChat("Sunny.", RESPONSE_MODEL, 812, 95);
		this.contextRunner.run((context) -> {
			context.getBean(SupportAgent.class).ask("weather?", "conv-42");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Timer run = awaitTimer(meters, GenAiMeters.INVOKE_AGENT_DURATION,
					Tags.of("gen_ai.agent.name", "support", "error.type", ""));
			assertThat(run.count()).isEqualTo(1);
			Timer chat = awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION,
					chatTags("gpt-4o-mini", RESPONSE_MODEL).and("error.type", ""));
			assertThat(run.totalTime(TimeUnit.NANOSECONDS))
				.isGreaterThanOrEqualTo(chat.totalTime(TimeUnit.NANOSECONDS));
			assertThat(meters.find(GenAiMeters.INVOKE_AGENT_DURATION.getName()).timers()).hasSize(1);
		});
	}

	@Test
	void aStreamRecordsItsTimeToFirstChunk() {
		this.server.enqueueStream(List.of("Sun", "ny", "."), RESPONSE_MODEL, 40, 3, Duration.ofMillis(60));
		this.contextRunner.run((context) -> {
			String answer = String.join("",
					context.getBean(SupportAgent.class).stream("weather?").collectList().block());
			assertThat(answer).isEqualTo("Sunny.");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Timer firstChunk = awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
					chatTags("gpt-4o-mini", RESPONSE_MODEL));
			assertThat(firstChunk.count()).isEqualTo(1);
			assertThat(firstChunk.totalTime(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0.06);
			assertThat(bucketCount(firstChunk, 0.04)).isZero();
			Timer duration = awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION,
					chatTags("gpt-4o-mini", RESPONSE_MODEL).and("error.type", ""));
			assertThat(firstChunk.totalTime(TimeUnit.NANOSECONDS)).isLessThan(duration.totalTime(TimeUnit.NANOSECONDS));
			assertThat(summary(meters, chatTags("gpt-4o-mini", RESPONSE_MODEL).and("gen_ai.token.type", "output"))
				.totalAmount()).isEqualTo(3);
		});
	}

	@Test
	void aCallThatIsNotStreamedHasNoTimeToFirstChunk() {
		this.server.enqueueChat("Hello.", RESPONSE_MODEL, 10, 2);
		this.contextRunner.run((context) -> {
			context.getBean(SupportAgent.class).ask("hi", "c");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			awaitTimer(meters, GenAiMeters.INVOKE_AGENT_DURATION,
					Tags.of("gen_ai.agent.name", "support", "error.type", ""));
			assertThat(meters.find(GenAiMeters.CLIENT_OPERATION_TIME_TO_FIRST_CHUNK.getName()).meters()).isEmpty();
		});
	}

	@Test
	void toolExecutionsRecordTheirDurationWithToolAgentAndErrorType() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("It is sunny in Paris.", RESPONSE_MODEL, 70, 8)
			.enqueueToolCall("currentWeather", "{\"city\":\"Atlantis\"}", "call_2", 50, 10)
			.enqueueChat("I could not get the weather.", RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			SupportAgent agent = context.getBean(SupportAgent.class);
			agent.askWithTools("Paris?");
			agent.askWithTools("Atlantis?");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Tags tool = Tags.of("gen_ai.tool.name", "currentWeather", "gen_ai.tool.type", "function",
					"gen_ai.agent.name", "support");
			assertThat(awaitTimer(meters, GenAiMeters.EXECUTE_TOOL_DURATION, tool.and("error.type", "")).count())
				.isEqualTo(1);
			assertThat(awaitTimer(meters, GenAiMeters.EXECUTE_TOOL_DURATION,
					tool.and("error.type", "java.lang.IllegalStateException"))
				.count()).isEqualTo(1);
			DistributionSummary input = summary(meters,
					chatTags("gpt-4o-mini", RESPONSE_MODEL).and("gen_ai.token.type", "input"));
			assertThat(input.count()).isEqualTo(4);
			assertThat(input.totalAmount()).isEqualTo(240);
		});
	}

	@Test
	void aToolOutsideAnyAgentRunHasNoAgentName() {
		this.server.enqueueToolCall("currentWeather", "{\"city\":\"Paris\"}", "call_1", 50, 10)
			.enqueueChat("It is sunny in Paris.", RESPONSE_MODEL, 70, 8);
		this.contextRunner.run((context) -> {
			context.getBean(ChatClient.Builder.class)
				.build()
				.prompt("Paris?")
				.tools(new WeatherTools())
				.call()
				.content();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(awaitTimer(meters, GenAiMeters.EXECUTE_TOOL_DURATION, Tags.of("gen_ai.tool.name",
					"currentWeather", "gen_ai.tool.type", "function", "gen_ai.agent.name", "", "error.type", ""))
				.count()).isEqualTo(1);
		});
	}

	@Test
	void embeddingsAreTheEmbeddingsOperationWithInputTokensOnly() {
		this.server.enqueueEmbedding(8, 12);
		this.contextRunner.run((context) -> {
			context.getBean(EmbeddingModel.class).embed("some text");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			String model = "text-embedding-ada-002";
			Tags embeddings = Tags.of("gen_ai.operation.name", "embeddings", "gen_ai.provider.name", "openai",
					"gen_ai.request.model", model, "gen_ai.response.model", model);
			assertThat(awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION, embeddings.and("error.type", ""))
				.count()).isEqualTo(1);
			assertThat(summary(meters, embeddings.and("gen_ai.token.type", "input")).totalAmount()).isEqualTo(12);
			assertThat(meters.find(GenAiMeters.CLIENT_TOKEN_USAGE.getName())
				.tag("gen_ai.token.type", "output")
				.meters()).isEmpty();
		});
	}

	@Test
	void switchedOffNothingChangesForSpringAisMeters() {
		this.server.enqueueChat("Hello.", RESPONSE_MODEL, 12, 5);
		this.contextRunner.withPropertyValues("agent.observability.metrics.semconv.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(GenAiMetrics.class)
				.doesNotHaveBean(SpringAiTokenUsageCounterFilter.class);
			context.getBean(ChatModel.class).call(new Prompt("hi"));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().untilAsserted(() -> assertThat(
					meters.find("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").counter())
				.isNotNull());
			assertThat(meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").counter().count())
				.isEqualTo(12);
			assertThat(meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").counter().count())
				.isEqualTo(5);
			assertThat(meters.find(GenAiMeters.CLIENT_OPERATION_DURATION.getName()).meters()).isEmpty();
			assertThat(meters.find("agent.tokens").tags("type", "input").counter().count()).isEqualTo(12);
		});
	}

	@Test
	void requestModelsBeyondTheLimitAreReportedAsOther() {
		this.contextRunner.withPropertyValues("agent.observability.metrics.max-tag-values=1").run((context) -> {
			ChatModel model = context.getBean(ChatModel.class);
			model.call(new Prompt("hi"));
			model.call(new Prompt("hi", OpenAiChatOptions.builder()
				.model("gpt-4.1-nano")
				.build()));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION,
					chatTags("gpt-4o-mini", "gpt-4o-mini").and("error.type", ""));
			assertThat(awaitTimer(meters, GenAiMeters.CLIENT_OPERATION_DURATION,
					chatTags("other", "other").and("error.type", ""))
				.count()).isEqualTo(1);
		});
	}

	private static Tags chatTags(String requestModel, String responseModel) {
		return Tags.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai", "gen_ai.request.model",
				requestModel, "gen_ai.response.model", responseModel);
	}

	/** Observations stop after the call returns: wait for the meter to be there. */
	private static Timer awaitTimer(MeterRegistry meters, GenAiMeters meter, Tags tags) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(meters.find(meter.getName()).tags(tags).timer())
				.as("%s%s in %s", meter.getName(), tags,
						meters.find(meter.getName()).meters().stream().map(Meter::getId).toList())
				.isNotNull());
		Timer timer = meters.get(meter.getName()).tags(tags).timer();
		assertThat(timer.getId().getTags()).as("tag keys").hasSize(meter.getKeyNames().length);
		return timer;
	}

	private static DistributionSummary summary(MeterRegistry meters, Tags tags) {
		DistributionSummary summary = meters.get(GenAiMeters.CLIENT_TOKEN_USAGE.getName()).tags(tags).summary();
		assertThat(summary.getId().getTags()).as("tag keys")
			.hasSize(GenAiMeters.CLIENT_TOKEN_USAGE.getKeyNames().length);
		return summary;
	}

	/** Cumulative count of the bucket with the given upper bound, in seconds. */
	private static double bucketCount(Timer timer, double seconds) {
		return bucketCount(timer.takeSnapshot(), seconds, true);
	}

	/** Cumulative count of the bucket with the given upper bound, in tokens. */
	private static double bucketCount(DistributionSummary summary, double tokens) {
		return bucketCount(summary.takeSnapshot(), tokens, false);
	}

	private static double bucketCount(HistogramSnapshot snapshot, double upperBound, boolean seconds) {
		return Arrays.stream(snapshot.histogramCounts())
			.filter((bucket) -> (seconds ? bucket.bucket(TimeUnit.SECONDS) : bucket.bucket()) == upperBound)
			.findFirst()
			.map(CountAtBucket::count)
			.orElseThrow(() -> new AssertionError("No bucket " + upperBound + " in " + snapshot));
	}

	private static double[] boundaries(HistogramSnapshot snapshot, boolean seconds) {
		return Arrays.stream(snapshot.histogramCounts())
			.mapToDouble((bucket) -> seconds ? bucket.bucket(TimeUnit.SECONDS) : bucket.bucket())
			.toArray();
	}

}
