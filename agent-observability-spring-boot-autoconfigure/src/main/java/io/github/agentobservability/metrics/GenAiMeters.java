package io.github.agentobservability.metrics;

import io.github.agentobservability.metrics.internal.TagValueLimiter;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The OpenTelemetry GenAI semantic-convention metrics the starter records, with the
 * attributes and bucket boundaries the convention gives each, in one place. Dashboards
 * and backends built for OpenTelemetry's GenAI metrics read them under their own names:
 * Prometheus shows them as {@code gen_ai_client_token_usage} and, for the durations,
 * with the {@code _seconds} suffix, e.g. {@code gen_ai_client_operation_duration_seconds}.
 * <p>
 * Every meter keeps one set of tag keys, since Micrometer's Prometheus registry drops a
 * meter whose keys differ from an earlier one of the same name. An attribute the
 * convention leaves out in a given case ({@code error.type} of a call that succeeded,
 * {@code gen_ai.response.model} of a call that failed) has the empty value {@value #ABSENT}:
 * Prometheus stores a label with an empty value as no label at all, so the series look
 * as the convention describes them. Values are bounded: see {@link TagValueLimiter}.
 */
public enum GenAiMeters implements MeterDocumentation {

	/** Input and output tokens of each model call that reported its usage. */
	CLIENT_TOKEN_USAGE("gen_ai.client.token.usage", Meter.Type.DISTRIBUTION_SUMMARY, "{token}",
			"Number of input and output tokens used", new double[] { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536,
					262144, 1048576, 4194304, 16777216, 67108864 },
			TagKeys.OPERATION_NAME, TagKeys.PROVIDER_NAME, TagKeys.REQUEST_MODEL, TagKeys.RESPONSE_MODEL,
			TagKeys.TOKEN_TYPE),

	/** Duration of each model call, failed ones included. */
	CLIENT_OPERATION_DURATION("gen_ai.client.operation.duration", Meter.Type.TIMER, "s", "GenAI operation duration",
			Buckets.CLIENT_SECONDS, TagKeys.OPERATION_NAME, TagKeys.PROVIDER_NAME, TagKeys.REQUEST_MODEL,
			TagKeys.RESPONSE_MODEL, TagKeys.ERROR_TYPE),

	/** Time from the start of a streamed model call to its first chunk. */
	CLIENT_OPERATION_TIME_TO_FIRST_CHUNK("gen_ai.client.operation.time_to_first_chunk", Meter.Type.TIMER, "s",
			"Time to receive the first chunk of a streamed response", Buckets.CLIENT_SECONDS, TagKeys.OPERATION_NAME,
			TagKeys.PROVIDER_NAME, TagKeys.REQUEST_MODEL, TagKeys.RESPONSE_MODEL),

	/**
	 * Time each chunk of a streamed model call after the first took, from the end of the
	 * chunk before it; measured where the client shows its chunks (Spring AI's OpenAI
	 * client).
	 */
	CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK("gen_ai.client.operation.time_per_output_chunk", Meter.Type.TIMER, "s",
			"Time per output chunk of a streamed response, after the first chunk", Buckets.CLIENT_SECONDS,
			TagKeys.OPERATION_NAME, TagKeys.PROVIDER_NAME, TagKeys.REQUEST_MODEL, TagKeys.RESPONSE_MODEL),

	/** Duration of each {@code @Traced(agent = ...)} run, the same as its span's. */
	INVOKE_AGENT_DURATION("gen_ai.invoke_agent.duration", Meter.Type.TIMER, "s",
			"The end-to-end duration of a single in-process agent invocation", new double[] { 0.1, 0.2, 0.4, 0.8,
					1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6 },
			TagKeys.AGENT_NAME, TagKeys.ERROR_TYPE),

	/** Duration of each tool execution in Spring AI's tool-calling loop. */
	EXECUTE_TOOL_DURATION("gen_ai.execute_tool.duration", Meter.Type.TIMER, "s",
			"The duration of a single tool execution", Buckets.CLIENT_SECONDS, TagKeys.TOOL_NAME, TagKeys.TOOL_TYPE,
			TagKeys.AGENT_NAME, TagKeys.ERROR_TYPE);

	/** Value of an attribute that does not apply to a measurement. */
	public static final String ABSENT = "";

	private final String name;

	private final Meter.Type type;

	private final String unit;

	private final String description;

	private final double[] bucketBoundaries;

	private final KeyName[] keyNames;

	GenAiMeters(String name, Meter.Type type, String unit, String description, double[] bucketBoundaries,
			KeyName... keyNames) {
		this.name = name;
		this.type = type;
		this.unit = unit;
		this.description = description;
		this.bucketBoundaries = bucketBoundaries;
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
		return this.keyNames.clone();
	}

	/**
	 * The convention's unit. Not given to Micrometer: timers are exported in seconds
	 * anyway, and a base unit on the token histogram would end up in its Prometheus name.
	 * @return {@code s} or {@code {token}}
	 */
	public String getUnit() {
		return this.unit;
	}

	/**
	 * What the meter measures, as registered with the meter.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * The explicit bucket boundaries the convention advises, in the meter's unit.
	 * @return the upper bounds of the buckets, ascending
	 */
	public double[] getBucketBoundaries() {
		return this.bucketBoundaries.clone();
	}

	private static final class Buckets {

		/** The advice for client operations, time to first chunk and tool executions. */
		static final double[] CLIENT_SECONDS = { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24,
				20.48, 40.96, 81.92 };

	}

	/**
	 * Attribute keys of the GenAI metrics, named as the convention names them. Every value
	 * is bounded.
	 */
	public enum TagKeys implements KeyName {

		/** {@code chat}, {@code embeddings} or another operation Spring AI observes. */
		OPERATION_NAME("gen_ai.operation.name"),

		/** The provider as Spring AI names it, such as {@code openai}. */
		PROVIDER_NAME("gen_ai.provider.name"),

		/** The model the application asked for, empty when the request names none. */
		REQUEST_MODEL("gen_ai.request.model"),

		/** The model that answered, empty when there was no response. */
		RESPONSE_MODEL("gen_ai.response.model"),

		/** {@code input} or {@code output}. */
		TOKEN_TYPE("gen_ai.token.type"),

		/** Agent name from {@code @Traced(agent = ...)}, empty outside any agent run. */
		AGENT_NAME("gen_ai.agent.name"),

		/** Tool name. */
		TOOL_NAME("gen_ai.tool.name"),

		/** Tool type as Spring AI reports it ({@code function}), empty when unknown. */
		TOOL_TYPE("gen_ai.tool.type"),

		/** Fully qualified class name of the exception, empty when the operation succeeded. */
		ERROR_TYPE("error.type");

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
