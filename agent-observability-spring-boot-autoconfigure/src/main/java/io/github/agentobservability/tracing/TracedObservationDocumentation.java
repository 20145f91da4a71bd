package io.github.agentobservability.tracing;

import io.github.agentobservability.tracing.internal.Outcome;
import io.micrometer.common.KeyValue;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation behind every {@code @Traced} call: its name and keys, in one place.
 */
public enum TracedObservationDocumentation implements ObservationDocumentation {

	/**
	 * A call of a {@code @Traced} method. The span is named after the method (or the
	 * annotation's value), not after the observation.
	 */
	TRACED_METHOD {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTracedObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}
	};

	public static final KeyValue OPERATION_INVOKE_AGENT = LowCardinalityKeyNames.OPERATION_NAME.withValue("invoke_agent");

	/**
	 * Keys whose values are bounded.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/** Fully qualified name of the traced method, OpenTelemetry's {@code code.function.name}. */
		CODE_FUNCTION_NAME {
			@Override
			public String asString() {
				return "code.function.name";
			}
		},

		/** How the call ended: the {@linkplain Outcome#value() value} of its {@link Outcome}. */
		STATUS {
			@Override
			public String asString() {
				return "status";
			}
		},

		/** {@code invoke_agent} on agent entry points ({@code @Traced(agent = ...)}) only. */
		OPERATION_NAME {
			@Override
			public String asString() {
				return "gen_ai.operation.name";
			}
		},

		/** The agent's name, on agent entry points only. */
		AGENT_NAME {
			@Override
			public String asString() {
				return "gen_ai.agent.name";
			}
		}

	}

	/**
	 * Keys whose values are unbounded; span attributes only. Constant {@code @Traced}
	 * attributes and {@code @SpanAttribute} arguments join them under their own keys.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/** Fully qualified class name of the exception the call ended with. */
		ERROR_TYPE {
			@Override
			public String asString() {
				return "error.type";
			}
		},

		/** Message of the exception the call ended with. */
		ERROR_MESSAGE {
			@Override
			public String asString() {
				return "error.message";
			}
		},

		/**
		 * Length of the answer of an agent run returning text (for a stream, of all its
		 * text elements together), as in the tutorial.
		 */
		AGENT_OUTPUT_LENGTH {
			@Override
			public String asString() {
				return "agent.output_length";
			}
		},

		/**
		 * The agent run's input (its first text argument), only with content capture on,
		 * redacted and truncated like prompts.
		 */
		AGENT_INPUT {
			@Override
			public String asString() {
				return "agent.input";
			}
		}

	}

}
