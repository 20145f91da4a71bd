package io.github.agentobservability.tracing;

import io.github.agentobservability.tracing.internal.TracedMethod;
import io.github.agentobservability.tracing.TracedObservationDocumentation.HighCardinalityKeyNames;
import io.github.agentobservability.tracing.internal.TracedCall;
import io.micrometer.common.KeyValues;

/**
 * The tutorial's decorator semantics: the span is named after the method, carries the
 * constant and argument attributes, and on failure {@code error.type} and
 * {@code error.message}. {@code status} is {@code success}, {@code error} or
 * {@code cancelled}. Attributes the application sets through {@link CurrentSpan} are not
 * key values: the starter's tracing handler writes them, typed, after these.
 * <p>
 * Everything constant for a method is computed once in {@link TracedMethod}, so a call
 * that succeeds and binds no argument allocates nothing here.
 */
public class DefaultTracedObservationConvention implements TracedObservationConvention {

	/**
	 * Name of every {@code @Traced} observation. Spans are named per method; the shared
	 * name lets {@code management.observations.enable.traced=false} switch them all off.
	 */
	public static final String OBSERVATION_NAME = "traced";

	/**
	 * {@code error.type} of a call marked as an error without an exception: the
	 * conventions' value for an error of no known type.
	 */
	static final String OTHER_ERROR = "_OTHER";

	@Override
	public String getName() {
		return OBSERVATION_NAME;
	}

	@Override
	public String getContextualName(TracedObservationContext context) {
		return context.getSpanName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TracedObservationContext context) {
		TracedCall call = (TracedCall) context;
		return call.getTracedMethod().getLowCardinalityKeyValues(call);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TracedObservationContext context) {
		KeyValues attributes = ((TracedCall) context).getTracedMethod().getAttributes(context.getArguments());
		Throwable error = context.getError();
		String marked = context.getMarkedError();
		if (error != null) {
			String message = error.getMessage();
			attributes = attributes.and(HighCardinalityKeyNames.ERROR_TYPE.withValue(error.getClass().getName()),
					HighCardinalityKeyNames.ERROR_MESSAGE.withValue((message != null) ? message : ""));
		}
		else if (marked != null) {
			attributes = attributes.and(HighCardinalityKeyNames.ERROR_TYPE.withValue(OTHER_ERROR),
					HighCardinalityKeyNames.ERROR_MESSAGE.withValue(marked));
		}
		long outputLength = context.getAgentOutputLength();
		if (outputLength >= 0) {
			attributes = attributes.and(HighCardinalityKeyNames.AGENT_OUTPUT_LENGTH.withValue(Long.toString(outputLength)));
		}
		String input = context.getAgentInput();
		if (input != null) {
			attributes = attributes.and(HighCardinalityKeyNames.AGENT_INPUT.withValue(input));
		}
		return attributes;
	}

}
