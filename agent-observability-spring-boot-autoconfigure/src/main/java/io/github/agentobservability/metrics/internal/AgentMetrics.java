package io.github.agentobservability.metrics.internal;

import io.github.agentobservability.metrics.AgentMeters;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.agentobservability.tracing.internal.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records the agent meters of {@link AgentMeters}. Every tag value goes through a
 * {@link TagValueLimiter}, so the number of series stays bounded whatever models, tools
 * or errors show up.
 */
public class AgentMetrics {

	/** Buckets for LLM work: tens of milliseconds to minutes. */
	static final Duration[] LATENCY_BUCKETS = { Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
			Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
			Duration.ofSeconds(120), Duration.ofSeconds(300) };

	/** Buckets for time to first chunk: a few milliseconds to tens of seconds. */
	static final Duration[] FIRST_CHUNK_BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25),
			Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
			Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
			Duration.ofSeconds(30) };

	/**
	 * {@code error_type} of a run that failed without an exception (marked as an error
	 * through {@code CurrentSpan}): the conventions' value for an error of no known type.
	 */
	static final String OTHER_ERROR = "_OTHER";

	/**
	 * {@code error_type} of the error counters' series that exist at zero before any
	 * failure: empty, which Prometheus stores as no label at all.
	 */
	static final String NO_ERROR = "";

	private final MeterRegistry registry;

	private final TagValueLimiter agents;

	private final TagValueLimiter models;

	private final TagValueLimiter tools;

	private final TagValueLimiter errorTypes;

	private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();

	private final Map<ModelKey, ModelMeters> modelMeters = new ConcurrentHashMap<>();

	private final Map<ToolKey, Counter> toolCallCounters = new ConcurrentHashMap<>();

	private final Map<RunKey, Boolean> runsSeen = new ConcurrentHashMap<>();

	private final MeterAttribution attribution;

	private final Meter.MeterProvider<Counter> requests;

	private final Meter.MeterProvider<Counter> requestErrors;

	private final Meter.MeterProvider<Timer> requestDuration;

	private final Meter.MeterProvider<Counter> tokens;

	private final Meter.MeterProvider<Counter> cost;

	private final Meter.MeterProvider<Counter> toolCalls;

	private final Meter.MeterProvider<Counter> toolErrors;

	private final Meter.MeterProvider<Timer> modelDuration;

	private final Meter.MeterProvider<Timer> timeToFirstChunk;

	/**
	 * Creates the recorder.
	 * @param registry where meters are registered
	 * @param maxTagValues distinct values allowed per tag key
	 */
	public AgentMetrics(MeterRegistry registry, int maxTagValues) {
		this(registry, maxTagValues, MeterAttribution.none());
	}

	/**
	 * Creates the recorder.
	 * @param registry where meters are registered
	 * @param maxTagValues distinct values allowed per tag key
	 * @param attribution the tags that say whom the work was for
	 */
	public AgentMetrics(MeterRegistry registry, int maxTagValues, MeterAttribution attribution) {
		this.registry = registry;
		this.attribution = attribution;
		this.agents = new TagValueLimiter(AgentMeters.TagKeys.AGENT.asString(), maxTagValues);
		this.models = new TagValueLimiter(AgentMeters.TagKeys.MODEL.asString(), maxTagValues);
		this.tools = new TagValueLimiter(AgentMeters.TagKeys.TOOL.asString(), maxTagValues);
		this.errorTypes = new TagValueLimiter(AgentMeters.TagKeys.ERROR_TYPE.asString(), maxTagValues);
		this.requests = counter(AgentMeters.REQUESTS);
		this.requestErrors = counter(AgentMeters.REQUEST_ERRORS);
		this.requestDuration = Timer.builder(AgentMeters.REQUEST_DURATION.getName())
			.description(AgentMeters.REQUEST_DURATION.getDescription())
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.withRegistry(registry);
		this.tokens = counter(AgentMeters.TOKENS);
		this.cost = counter(AgentMeters.TOKENS_COST);
		this.toolCalls = counter(AgentMeters.TOOL_CALLS);
		this.toolErrors = counter(AgentMeters.TOOL_ERRORS);
		this.modelDuration = Timer.builder(AgentMeters.MODEL_DURATION.getName())
			.description(AgentMeters.MODEL_DURATION.getDescription())
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.withRegistry(registry);
		this.timeToFirstChunk = Timer.builder(AgentMeters.MODEL_TIME_TO_FIRST_CHUNK.getName())
			.description(AgentMeters.MODEL_TIME_TO_FIRST_CHUNK.getDescription())
			.serviceLevelObjectives(FIRST_CHUNK_BUCKETS)
			.withRegistry(registry);
	}

	private Meter.MeterProvider<Counter> counter(AgentMeters meter) {
		return Counter.builder(meter.getName()).description(meter.getDescription()).withRegistry(this.registry);
	}

	/**
	 * An agent is known before it runs (a {@code @Traced(agent = ...)} method was found):
	 * its run counters, one per outcome, its error counter and its gauge of runs in
	 * progress exist from now on at zero, so that a dashboard dividing failed runs by runs
	 * shows 0 rather than no data. The error counter's series at zero has an empty
	 * {@code error_type}, as no failure has a type yet.
	 * @param agent the agent
	 */
	public void agentDeclared(String agent) {
		String agentTag = this.agents.limit(agent);
		activeRuns(agentTag);
		Tags absent = this.attribution.absent();
		for (Outcome outcome : Outcome.values()) {
			this.requests.withTags(Tags.of(AgentMeters.TagKeys.AGENT.asString(), agentTag,
					AgentMeters.TagKeys.OUTCOME.asString(), outcome.value()).and(absent));
		}
		this.runsSeen.put(new RunKey(agentTag, absent), Boolean.TRUE);
		this.requestErrors.withTags(Tags.of(AgentMeters.TagKeys.AGENT.asString(), agentTag,
				AgentMeters.TagKeys.ERROR_TYPE.asString(), NO_ERROR).and(absent));
	}

	/**
	 * An agent run started.
	 * @param agent the agent
	 */
	public void runStarted(String agent) {
		activeRuns(this.agents.limit(agent)).incrementAndGet();
	}

	/**
	 * An agent run ended.
	 * @param agent the agent
	 * @param outcome how the run ended
	 * @param error the failure, or {@code null}
	 * @param durationNanos how long the run took
	 */
	public void runStopped(String agent, Outcome outcome, @Nullable Throwable error, long durationNanos) {
		runStopped(agent, outcome, error, durationNanos, this.attribution.absent());
	}

	/**
	 * An agent run ended, for whom its attribution tags say. The first run of an agent
	 * for someone registers that one's error counter at zero, as an agent's is at
	 * startup.
	 * @param agent the agent
	 * @param outcome how the run ended
	 * @param error the failure, or {@code null}
	 * @param durationNanos how long the run took
	 * @param attribution the run's {@link MeterAttribution} tags
	 */
	public void runStopped(String agent, Outcome outcome, @Nullable Throwable error, long durationNanos,
			Tags attribution) {
		String agentTag = this.agents.limit(agent);
		activeRuns(agentTag).decrementAndGet();
		Tags tags = Tags.of(AgentMeters.TagKeys.AGENT.asString(), agentTag, AgentMeters.TagKeys.OUTCOME.asString(),
				outcome.value()).and(attribution);
		this.requests.withTags(tags).increment();
		this.requestDuration.withTags(tags).record(durationNanos, TimeUnit.NANOSECONDS);
		Tags errorTags = Tags.of(AgentMeters.TagKeys.AGENT.asString(), agentTag).and(attribution);
		if (this.runsSeen.putIfAbsent(new RunKey(agentTag, attribution), Boolean.TRUE) == null) {
			this.requestErrors.withTags(errorTags.and(AgentMeters.TagKeys.ERROR_TYPE.asString(), NO_ERROR));
		}
		if (outcome == Outcome.ERROR) {
			this.requestErrors
				.withTags(errorTags.and(AgentMeters.TagKeys.ERROR_TYPE.asString(),
						(error != null) ? errorType(error) : OTHER_ERROR))
				.increment();
		}
	}

	/**
	 * A model call ended.
	 * @param agent the agent it belongs to, or {@code none}
	 * @param model the model
	 * @param outcome how the call ended, {@link Outcome#SUCCESS} or {@link Outcome#ERROR}
	 * @param inputTokens input tokens reported
	 * @param outputTokens output tokens reported
	 * @param costUsd estimated cost, or {@code null} when the model has no price
	 * @param durationNanos how long the call took
	 */
	public void modelCall(String agent, String model, Outcome outcome, long inputTokens, long outputTokens,
			@Nullable BigDecimal costUsd, long durationNanos) {
		modelCall(agent, model, outcome, inputTokens, outputTokens, costUsd, durationNanos, this.attribution.absent());
	}

	/**
	 * A model call ended, for whom its attribution tags say.
	 * @param agent the agent it belongs to, or {@code none}
	 * @param model the model
	 * @param outcome how the call ended, {@link Outcome#SUCCESS} or {@link Outcome#ERROR}
	 * @param inputTokens input tokens reported
	 * @param outputTokens output tokens reported
	 * @param costUsd estimated cost, or {@code null} when the model has no price
	 * @param durationNanos how long the call took
	 * @param attribution the call's {@link MeterAttribution} tags
	 */
	public void modelCall(String agent, String model, Outcome outcome, long inputTokens, long outputTokens,
			@Nullable BigDecimal costUsd, long durationNanos, Tags attribution) {
		ModelKey key = new ModelKey(this.agents.limit(agent), this.models.limit(model), outcome, attribution);
		ModelMeters meters = this.modelMeters.get(key);
		if (meters == null) {
			meters = this.modelMeters.computeIfAbsent(key, this::modelMeters);
		}
		meters.duration().record(durationNanos, TimeUnit.NANOSECONDS);
		if (inputTokens > 0 || outputTokens > 0) {
			meters.inputTokens().increment(inputTokens);
			meters.outputTokens().increment(outputTokens);
		}
		if (costUsd != null) {
			meters.cost(this.cost).increment(costUsd.doubleValue());
		}
	}

	/**
	 * Looks the meters of one agent, model and outcome up once: a model call records four
	 * of them, and building their ids on every call is most of the cost of recording.
	 */
	private ModelMeters modelMeters(ModelKey key) {
		String agentKey = AgentMeters.TagKeys.AGENT.asString();
		String modelKey = AgentMeters.TagKeys.MODEL.asString();
		String typeKey = AgentMeters.TagKeys.TYPE.asString();
		Tags attribution = key.attribution();
		return new ModelMeters(
				this.modelDuration.withTags(Tags.of(agentKey, key.agent(), modelKey, key.model(),
						AgentMeters.TagKeys.OUTCOME.asString(), key.outcome().value()).and(attribution)),
				this.tokens.withTags(Tags.of(agentKey, key.agent(), modelKey, key.model(), typeKey, "input").and(attribution)),
				this.tokens.withTags(Tags.of(agentKey, key.agent(), modelKey, key.model(), typeKey, "output").and(attribution)),
				key);
	}

	/**
	 * A streamed model call received its first chunk.
	 * @param agent the agent it belongs to, or {@code none}
	 * @param model the model
	 * @param seconds time from the start of the call
	 */
	public void firstChunk(String agent, String model, double seconds) {
		this.timeToFirstChunk
			.withTags(AgentMeters.TagKeys.AGENT.asString(), this.agents.limit(agent),
					AgentMeters.TagKeys.MODEL.asString(), this.models.limit(model))
			.record((long) (seconds * 1e9), TimeUnit.NANOSECONDS);
	}

	/**
	 * A tool execution ended.
	 * @param agent the agent it belongs to, or {@code none}
	 * @param tool the tool name
	 * @param error the failure, or {@code null}
	 */
	public void toolCall(String agent, String tool, @Nullable Throwable error) {
		toolCall(agent, tool, error, this.attribution.absent());
	}

	/**
	 * A tool execution ended, for whom its attribution tags say.
	 * @param agent the agent it belongs to, or {@code none}
	 * @param tool the tool name
	 * @param error the failure, or {@code null}
	 * @param attribution the call's {@link MeterAttribution} tags
	 */
	public void toolCall(String agent, String tool, @Nullable Throwable error, Tags attribution) {
		String agentTag = this.agents.limit(agent);
		String toolTag = this.tools.limit(tool);
		this.toolCallCounters.computeIfAbsent(new ToolKey(agentTag, toolTag, attribution), this::toolCallCounter)
			.increment();
		if (error != null) {
			this.toolErrors
				.withTags(Tags.of(AgentMeters.TagKeys.AGENT.asString(), agentTag, AgentMeters.TagKeys.TOOL.asString(),
						toolTag, AgentMeters.TagKeys.ERROR_TYPE.asString(), errorType(error)).and(attribution))
				.increment();
		}
	}

	/**
	 * The call counter of one agent and tool, created with the tool's error counter at
	 * zero (empty {@code error_type}), so that a tool's error rate is 0 until it fails.
	 */
	private Counter toolCallCounter(ToolKey key) {
		this.toolErrors.withTags(Tags.of(AgentMeters.TagKeys.AGENT.asString(), key.agent(),
				AgentMeters.TagKeys.TOOL.asString(), key.tool(), AgentMeters.TagKeys.ERROR_TYPE.asString(), NO_ERROR)
			.and(key.attribution()));
		return this.toolCalls.withTags(Tags.of(AgentMeters.TagKeys.AGENT.asString(), key.agent(),
				AgentMeters.TagKeys.TOOL.asString(), key.tool()).and(key.attribution()));
	}

	private String errorType(Throwable error) {
		return this.errorTypes.limit(error.getClass().getName());
	}

	private record ModelKey(String agent, String model, Outcome outcome, Tags attribution) {
	}

	private record RunKey(String agent, Tags attribution) {
	}

	private record ToolKey(String agent, String tool, Tags attribution) {
	}

	/**
	 * The meters of one agent, model and outcome. The cost counter only exists once a
	 * call had a price, so that unpriced models show no cost series at all.
	 */
	private static final class ModelMeters {

		private final Timer duration;

		private final Counter inputTokens;

		private final Counter outputTokens;

		private final ModelKey key;

		private volatile @Nullable Counter cost;

		ModelMeters(Timer duration, Counter inputTokens, Counter outputTokens, ModelKey key) {
			this.duration = duration;
			this.inputTokens = inputTokens;
			this.outputTokens = outputTokens;
			this.key = key;
		}

		Timer duration() {
			return this.duration;
		}

		Counter inputTokens() {
			return this.inputTokens;
		}

		Counter outputTokens() {
			return this.outputTokens;
		}

		Counter cost(Meter.MeterProvider<Counter> costs) {
			Counter counter = this.cost;
			if (counter == null) {
				counter = costs.withTags(Tags.of(AgentMeters.TagKeys.AGENT.asString(), this.key.agent(),
						AgentMeters.TagKeys.MODEL.asString(), this.key.model()).and(this.key.attribution()));
				this.cost = counter;
			}
			return counter;
		}

	}

	private AtomicInteger activeRuns(String agentTag) {
		return this.active.computeIfAbsent(agentTag, (agent) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder(AgentMeters.REQUESTS_ACTIVE.getName(), count, AtomicInteger::get)
				.description(AgentMeters.REQUESTS_ACTIVE.getDescription())
				.tag(AgentMeters.TagKeys.AGENT.asString(), agent)
				.register(this.registry);
			return count;
		});
	}

}
