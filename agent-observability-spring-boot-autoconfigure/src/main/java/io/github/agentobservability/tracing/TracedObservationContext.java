package io.github.agentobservability.tracing;

import io.github.agentobservability.annotation.Traced;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * One call of a {@code @Traced} method, as a {@link TracedObservationConvention} sees it:
 * what the annotation says of the method, the call's arguments and how it went.
 * <p>
 * The starter creates one per call; applications read it in a convention or an
 * {@code ObservationHandler} and do not extend it.
 */
public abstract class TracedObservationContext extends Observation.Context {

	/**
	 * For the starter's own implementation.
	 */
	protected TracedObservationContext() {
	}

	/**
	 * The span name {@code @Traced} gives the method: its {@code value}, else
	 * {@code invoke_agent} and the agent's name for an agent, else
	 * {@code ClassName.method}.
	 * @return the span name
	 */
	public abstract String getSpanName();

	/**
	 * The agent the method runs ({@link Traced#agent()}).
	 * @return the agent's name, or {@code null} if the method is not an agent run
	 */
	public abstract @Nullable String getAgentName();

	/**
	 * The span kind the method declares ({@link Traced#kind()}).
	 * @return the kind
	 */
	public abstract Traced.Kind getKind();

	/**
	 * The call's arguments.
	 * @return the arguments, empty if the method binds none to attributes
	 */
	public abstract Object[] getArguments();

	/**
	 * Whether the caller gave up on the result (a cancelled future or subscription)
	 * before it completed.
	 * @return whether the call was cancelled
	 */
	public abstract boolean isCancelled();

	/**
	 * The message the application marked the call's outcome as an error with, through
	 * {@link CurrentSpan#markError(String)}, without throwing.
	 * @return the message, or {@code null} if the call was not marked
	 */
	public abstract @Nullable String getMarkedError();

	/**
	 * The length of the text an agent run returned ({@code agent.output_length}).
	 * @return the length, or -1 when the run returned no text (yet)
	 */
	public abstract long getAgentOutputLength();

	/**
	 * The agent run's input as content capture recorded it ({@code agent.input}).
	 * @return the redacted and truncated input, or {@code null} without content capture
	 */
	public abstract @Nullable String getAgentInput();

}
