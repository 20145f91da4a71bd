package io.github.agentobservability.metrics.internal;

import io.github.agentobservability.metrics.GenAiMeters;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records the OpenTelemetry GenAI metrics of {@link GenAiMeters}: histograms at exactly
 * the bucket boundaries the convention advises, so that queries written for OpenTelemetry
 * instrumentations work on them, next to the starter's own {@code agent.*} meters.
 * <p>
 * Every tag value goes through a {@link TagValueLimiter}, so the number of series stays
 * bounded whatever models, tools or errors show up.
 */
public class GenAiMetrics {

	private final Meter.MeterProvider<DistributionSummary> tokenUsage;

	private final Meter.MeterProvider<Timer> operationDuration;

	private final Meter.MeterProvider<Timer> timeToFirstChunk;

	private final Meter.MeterProvider<Timer> timePerOutputChunk;

	private final Meter.MeterProvider<Timer> agentDuration;

	private final Meter.MeterProvider<Timer> toolDuration;

	private final TagValueLimiter operations;

	private final TagValueLimiter providers;

	private final TagValueLimiter requestModels;

	private final TagValueLimiter responseModels;

	private final TagValueLimiter agents;

	private final TagValueLimiter tools;

	private final TagValueLimiter toolTypes;

	private final TagValueLimiter errorTypes;

	/** Agent runs that succeeded, by agent: every run records one, so it is looked up once. */
	private final Map<String, Timer> successfulRuns = new ConcurrentHashMap<>();

	private static final long[] NO_CHUNKS = {};

	/**
	 * Creates the recorder.
	 * @param registry where meters are registered
	 * @param maxTagValues distinct values allowed per tag key
	 */
	public GenAiMetrics(MeterRegistry registry, int maxTagValues) {
		this.tokenUsage = DistributionSummary.builder(GenAiMeters.CLIENT_TOKEN_USAGE.getName())
			.description(GenAiMeters.CLIENT_TOKEN_USAGE.getDescription())
			.serviceLevelObjectives(GenAiMeters.CLIENT_TOKEN_USAGE.getBucketBoundaries())
			.publishPercentileHistogram(false)
			.withRegistry(registry);
		this.operationDuration = timer(GenAiMeters.CLIENT_OPERATION_DURATION, registry);
		this.timeToFirstChunk = timer(GenAiMeters.CLIENT_OPERATION_TIME_TO_FIRST_CHUNK, registry);
		this.timePerOutputChunk = timer(GenAiMeters.CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK, registry);
		this.agentDuration = timer(GenAiMeters.INVOKE_AGENT_DURATION, registry);
		this.toolDuration = timer(GenAiMeters.EXECUTE_TOOL_DURATION, registry);
		this.operations = limiter(GenAiMeters.TagKeys.OPERATION_NAME, maxTagValues);
		this.providers = limiter(GenAiMeters.TagKeys.PROVIDER_NAME, maxTagValues);
		this.requestModels = limiter(GenAiMeters.TagKeys.REQUEST_MODEL, maxTagValues);
		this.responseModels = limiter(GenAiMeters.TagKeys.RESPONSE_MODEL, maxTagValues);
		this.agents = limiter(GenAiMeters.TagKeys.AGENT_NAME, maxTagValues);
		this.tools = limiter(GenAiMeters.TagKeys.TOOL_NAME, maxTagValues);
		this.toolTypes = limiter(GenAiMeters.TagKeys.TOOL_TYPE, maxTagValues);
		this.errorTypes = limiter(GenAiMeters.TagKeys.ERROR_TYPE, maxTagValues);
	}

	private static Meter.MeterProvider<Timer> timer(GenAiMeters meter, MeterRegistry registry) {
		double[] boundaries = meter.getBucketBoundaries();
		Duration[] slos = new Duration[boundaries.length];
		for (int i = 0; i < boundaries.length; i++) {
			slos[i] = Duration.ofNanos(Math.round(boundaries[i] * 1e9));
		}
		return Timer.builder(meter.getName())
			.description(meter.getDescription())
			.serviceLevelObjectives(slos)
			.publishPercentileHistogram(false)
			.withRegistry(registry);
	}

	private static TagValueLimiter limiter(GenAiMeters.TagKeys key, int maxTagValues) {
		return new TagValueLimiter(key.asString(), maxTagValues);
	}

	/**
	 * A model call ended: records its duration, its token usage when the provider
	 * reported it, and its time to first chunk when it was a stream that received one.
	 * @param call what the call was and how it went
	 */
	public void modelCall(ModelCall call) {
		modelCall(call, NO_CHUNKS, Tags.empty());
	}

	/**
	 * A streamed model call ended: records what {@link #modelCall(ModelCall)} does, and
	 * the time each chunk after the first took.
	 * @param call what the call was and how it went
	 * @param timePerChunkNanos the time of each chunk after the first, in nanoseconds
	 * @param attribution the call's {@link MeterAttribution} tags, on its token usage and
	 * duration
	 */
	public void modelCall(ModelCall call, long[] timePerChunkNanos, Tags attribution) {
		Tags tags = Tags.of(GenAiMeters.TagKeys.OPERATION_NAME.asString(), this.operations.limit(call.operation()),
				GenAiMeters.TagKeys.PROVIDER_NAME.asString(), this.providers.limit(call.provider()),
				GenAiMeters.TagKeys.REQUEST_MODEL.asString(), limitOrAbsent(this.requestModels, call.requestModel()),
				GenAiMeters.TagKeys.RESPONSE_MODEL.asString(),
				limitOrAbsent(this.responseModels, call.responseModel()));
		this.operationDuration
			.withTags(tags.and(GenAiMeters.TagKeys.ERROR_TYPE.asString(), errorType(call.error())).and(attribution))
			.record(call.durationNanos(), TimeUnit.NANOSECONDS);
		String tokenType = GenAiMeters.TagKeys.TOKEN_TYPE.asString();
		if (call.inputTokens() != null) {
			this.tokenUsage.withTags(tags.and(tokenType, "input").and(attribution)).record(call.inputTokens());
		}
		if (call.outputTokens() != null) {
			this.tokenUsage.withTags(tags.and(tokenType, "output").and(attribution)).record(call.outputTokens());
		}
		if (call.timeToFirstChunkNanos() != null) {
			this.timeToFirstChunk.withTags(tags).record(call.timeToFirstChunkNanos(), TimeUnit.NANOSECONDS);
		}
		if (timePerChunkNanos.length > 0) {
			Timer timePerChunk = this.timePerOutputChunk.withTags(tags);
			for (long nanos : timePerChunkNanos) {
				timePerChunk.record(nanos, TimeUnit.NANOSECONDS);
			}
		}
	}

	/**
	 * An agent run ended. A cancelled run is not an error: the consumer stopped reading.
	 * @param agent the agent
	 * @param error the failure, or {@code null}
	 * @param durationNanos how long the run took
	 */
	public void agentRun(String agent, @Nullable Throwable error, long durationNanos) {
		String agentTag = this.agents.limit(agent);
		Timer timer;
		if (error == null) {
			timer = this.successfulRuns.get(agentTag);
			if (timer == null) {
				timer = this.successfulRuns.computeIfAbsent(agentTag, (key) -> agentTimer(key, GenAiMeters.ABSENT));
			}
		}
		else {
			timer = agentTimer(agentTag, errorType(error));
		}
		timer.record(durationNanos, TimeUnit.NANOSECONDS);
	}

	private Timer agentTimer(String agentTag, String errorType) {
		return this.agentDuration.withTags(GenAiMeters.TagKeys.AGENT_NAME.asString(), agentTag,
				GenAiMeters.TagKeys.ERROR_TYPE.asString(), errorType);
	}

	/**
	 * A tool execution ended.
	 * @param tool the tool name
	 * @param toolType the tool type, or {@code null} when unknown
	 * @param agent the agent it belongs to, or {@code null} outside any agent run
	 * @param error the failure, or {@code null}
	 * @param durationNanos how long the execution took
	 */
	public void toolExecution(String tool, @Nullable String toolType, @Nullable String agent,
			@Nullable Throwable error, long durationNanos) {
		this.toolDuration
			.withTags(GenAiMeters.TagKeys.TOOL_NAME.asString(), this.tools.limit(tool),
					GenAiMeters.TagKeys.TOOL_TYPE.asString(), limitOrAbsent(this.toolTypes, toolType),
					GenAiMeters.TagKeys.AGENT_NAME.asString(), limitOrAbsent(this.agents, agent),
					GenAiMeters.TagKeys.ERROR_TYPE.asString(), errorType(error))
			.record(durationNanos, TimeUnit.NANOSECONDS);
	}

	private String errorType(@Nullable Throwable error) {
		return (error != null) ? this.errorTypes.limit(error.getClass().getName()) : GenAiMeters.ABSENT;
	}

	private static String limitOrAbsent(TagValueLimiter limiter, @Nullable String value) {
		return (value != null && !value.isEmpty()) ? limiter.limit(value) : GenAiMeters.ABSENT;
	}

	/**
	 * One model call, as the GenAI metrics describe it.
	 *
	 * @param operation the operation, such as {@code chat} or {@code embeddings}
	 * @param provider the provider, such as {@code openai}
	 * @param requestModel the model the application asked for, or {@code null}
	 * @param responseModel the model that answered, or {@code null} without a response
	 * @param error the failure, or {@code null}
	 * @param durationNanos how long the call took
	 * @param inputTokens input tokens reported, or {@code null} when not reported
	 * @param outputTokens output tokens reported, or {@code null} when not reported or the
	 * operation has none (embeddings)
	 * @param timeToFirstChunkNanos time from the start of a streamed call to its first
	 * chunk, or {@code null} when none arrived or the call was not streamed
	 */
	public record ModelCall(String operation, String provider, @Nullable String requestModel,
			@Nullable String responseModel, @Nullable Throwable error, long durationNanos, @Nullable Long inputTokens,
			@Nullable Long outputTokens, @Nullable Long timeToFirstChunkNanos) {
	}

}
