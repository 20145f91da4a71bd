package io.github.agentobservability.metrics;

import io.github.agentobservability.metrics.internal.TagValueLimiter;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * Every meter the starter records, with its tags and meaning, in one place. Names are
 * Micrometer's; Prometheus shows them with underscores and the {@code _total} or
 * {@code _seconds} suffix, e.g. {@code agent_requests_total}.
 * <p>
 * Tag values are bounded: see {@link TagValueLimiter}. The counters a dashboard divides
 * by exist at zero before any traffic: the run and error counters of every agent a
 * {@code @Traced(agent = ...)} method declares from startup, a tool's error counter from
 * its first call. The OpenTelemetry GenAI metrics recorded beside them are documented in
 * {@link GenAiMeters}.
 */
public enum AgentMeters implements MeterDocumentation {

	/** Agent runs finished. */
	REQUESTS("agent.requests", Meter.Type.COUNTER, "Agent runs finished", TagKeys.AGENT, TagKeys.OUTCOME),

	/** Agent runs that failed. */
	REQUEST_ERRORS("agent.requests.errors", Meter.Type.COUNTER, "Agent runs that failed", TagKeys.AGENT,
			TagKeys.ERROR_TYPE),

	/** Agent run latency, with buckets from 25 ms to 5 min. */
	REQUEST_DURATION("agent.request.duration", Meter.Type.TIMER, "Agent run latency", TagKeys.AGENT, TagKeys.OUTCOME),

	/** Agent runs in progress. */
	REQUESTS_ACTIVE("agent.requests.active", Meter.Type.GAUGE, "Agent runs in progress", TagKeys.AGENT),

	/** Tokens used by model calls, by agent, model and type (input or output). */
	TOKENS("agent.tokens", Meter.Type.COUNTER, "Tokens used by model calls", TagKeys.AGENT, TagKeys.MODEL,
			TagKeys.TYPE),

	/** Estimated cost of model calls in USD, for models with a price. */
	TOKENS_COST("agent.tokens.cost.usd", Meter.Type.COUNTER, "Estimated cost of model calls in USD", TagKeys.AGENT,
			TagKeys.MODEL),

	/** Tool executions. */
	TOOL_CALLS("agent.tools.calls", Meter.Type.COUNTER, "Tool executions", TagKeys.AGENT, TagKeys.TOOL),

	/** Tool executions that failed. */
	TOOL_ERRORS("agent.tools.errors", Meter.Type.COUNTER, "Tool executions that failed", TagKeys.AGENT, TagKeys.TOOL,
			TagKeys.ERROR_TYPE),

	/** Model call latency, with buckets from 25 ms to 5 min. */
	MODEL_DURATION("agent.model.duration", Meter.Type.TIMER, "Model call latency", TagKeys.AGENT, TagKeys.MODEL,
			TagKeys.OUTCOME),

	/** Time from the start of a streamed model call to its first chunk. */
	MODEL_TIME_TO_FIRST_CHUNK("agent.model.time_to_first_chunk", Meter.Type.TIMER,
			"Time from the start of a streamed model call to its first chunk", TagKeys.AGENT, TagKeys.MODEL);

	private final String name;

	private final Meter.Type type;

	private final String description;

	private final KeyName[] keyNames;

	AgentMeters(String name, Meter.Type type, String description, KeyName... keyNames) {
		this.name = name;
		this.type = type;
		this.description = description;
		this.keyNames = keyNames;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Meter.Type getType() {
		return this.type;
	}

	@Override
	public KeyName[] getKeyNames() {
		return this.keyNames;
	}

	/**
	 * What the meter measures, as registered with the meter.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Tag keys of the agent meters. Every value is bounded.
	 */
	public enum TagKeys implements KeyName {

		/** Agent name from {@code @Traced(agent = ...)}, {@code none} outside any agent run. */
		AGENT("agent"),

		/** {@code success}, {@code error} or {@code cancelled}. */
		OUTCOME("outcome"),

		/**
		 * Fully qualified class name of the exception; empty on the series that exists at
		 * zero before any failure, for every declared agent and every tool called.
		 */
		ERROR_TYPE("error_type"),

		/**
		 * Model the application asked for (request model, else response model), in lower
		 * case, without provider prefix or date and version suffixes:
		 * {@code gpt-4o-mini}, never {@code gpt-4o-mini-2024-07-18}.
		 */
		MODEL("model"),

		/** {@code input} or {@code output}. */
		TYPE("type"),

		/** Tool name. */
		TOOL("tool");

		private final String key;

		TagKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
