package io.github.agentobservability.tracing.internal;

import io.github.agentobservability.tracing.internal.TracedMethod;
import io.github.agentobservability.tracing.internal.TracedSpanStarter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import io.github.agentobservability.annotation.Traced;
import io.github.agentobservability.tracing.CurrentSpan;
import io.github.agentobservability.tracing.TracedObservationContext;
import io.github.agentobservability.tracing.internal.TracedSpanStarter.StartedSpan;
import org.jspecify.annotations.Nullable;

/**
 * One call of a {@code @Traced} method: what the convention reads, and the state the
 * interceptor, the handlers and {@link CurrentSpan} share during the call.
 */
public final class TracedCall extends TracedObservationContext {

	/** The conventions' attribute for the conversation a call belongs to. */
	public static final String CONVERSATION_ID = "gen_ai.conversation.id";

	private static final Object[] NO_ARGUMENTS = {};

	private final TracedMethod tracedMethod;

	private final Object[] arguments;

	private volatile boolean cancelled;

	private @Nullable StartedSpan startedSpan;

	private volatile @Nullable Map<String, Object> userAttributes;

	private volatile @Nullable String markedError;

	private static final AtomicLongFieldUpdater<TracedCall> AGENT_OUTPUT_LENGTH = AtomicLongFieldUpdater
		.newUpdater(TracedCall.class, "agentOutputLength");

	// No initializer: a volatile write in the constructor would cost a fence on every call.
	private volatile long agentOutputLength;

	private volatile boolean agentOutput;

	private volatile @Nullable String agentInput;

	/** The conversation a ChatClient call of this run named, through chat memory. */
	private volatile @Nullable String conversationId;

	/**
	 * Creates a context for one call.
	 * @param tracedMethod the method being called
	 * @param arguments the call's arguments, read only if the method binds some to
	 * attributes
	 */
	public TracedCall(TracedMethod tracedMethod, Object[] arguments) {
		this.tracedMethod = tracedMethod;
		this.arguments = arguments;
	}

	TracedCall(TracedMethod tracedMethod) {
		this(tracedMethod, NO_ARGUMENTS);
	}

	public TracedMethod getTracedMethod() {
		return this.tracedMethod;
	}

	@Override
	public String getSpanName() {
		return this.tracedMethod.getSpanName();
	}

	@Override
	public @Nullable String getAgentName() {
		return this.tracedMethod.getAgentName();
	}

	@Override
	public Traced.Kind getKind() {
		return this.tracedMethod.getKind();
	}

	@Override
	public Object[] getArguments() {
		return this.arguments;
	}

	/**
	 * The span started for this call before its observation, which the tracing handler
	 * takes over instead of starting one.
	 * @return the started span, or {@code null} if the handler is to start it
	 * @see TracedSpanStarter
	 */
	public @Nullable StartedSpan getStartedSpan() {
		return this.startedSpan;
	}

	public void setStartedSpan(@Nullable StartedSpan startedSpan) {
		this.startedSpan = startedSpan;
	}

	/**
	 * Whether the caller gave up on the result (a cancelled future or subscription)
	 * before it completed.
	 * @return whether the call was cancelled
	 */
	@Override
	public boolean isCancelled() {
		return this.cancelled;
	}

	public void markCancelled() {
		this.cancelled = true;
	}

	/**
	 * The attributes the application set through {@link CurrentSpan} during the call,
	 * which win over the starter's of the same key.
	 * @return the attributes by key, in the order they were first set
	 */
	public Map<String, Object> getUserAttributes() {
		if (this.userAttributes == null) {
			return Map.of();
		}
		synchronized (this) {
			return new LinkedHashMap<>(this.userAttributes);
		}
	}

	public synchronized void setUserAttribute(String key, Object value) {
		Map<String, Object> attributes = this.userAttributes;
		if (attributes == null) {
			attributes = new LinkedHashMap<>();
			this.userAttributes = attributes;
		}
		attributes.put(key, value);
	}

	/**
	 * The message the application marked the call's outcome as an error with, through
	 * {@link CurrentSpan#markError(String)}, without throwing.
	 * @return the message, or {@code null} if the call was not marked
	 */
	@Override
	public @Nullable String getMarkedError() {
		return this.markedError;
	}

	public void markError(String message) {
		this.markedError = message;
	}

	/**
	 * The length of the text an agent run returned ({@code agent.output_length}).
	 * @return the length, or -1 when the run returned no text (yet)
	 */
	@Override
	public long getAgentOutputLength() {
		return this.agentOutput ? this.agentOutputLength : -1;
	}

	/**
	 * Adds the length of text the agent run returned: once for a value, per element for
	 * a stream.
	 */
	public void addAgentOutput(@Nullable Object output) {
		if (output instanceof CharSequence text) {
			AGENT_OUTPUT_LENGTH.addAndGet(this, text.length());
			this.agentOutput = true;
		}
	}

	/**
	 * The agent run's input as content capture recorded it ({@code agent.input}).
	 * @return the redacted and truncated input, or {@code null} without content capture
	 */
	@Override
	public @Nullable String getAgentInput() {
		return this.agentInput;
	}

	public void setAgentInput(@Nullable String input) {
		this.agentInput = input;
	}

	/**
	 * Notes the conversation a ChatClient call of this run belongs to, the first named.
	 * @param conversationId the chat memory's conversation id
	 */
	public void conversation(String conversationId) {
		if (this.conversationId == null) {
			this.conversationId = conversationId;
		}
	}

	/**
	 * The conversation of the call: set through {@link CurrentSpan}, bound by a
	 * {@code gen_ai.conversation.id} parameter attribute, or noted from chat memory.
	 * @return the conversation id, or {@code null} when the call names none
	 */
	public @Nullable String getConversationId() {
		Object own = getUserAttributes().get(CONVERSATION_ID);
		if (own != null) {
			return own.toString();
		}
		for (ParameterAttribute parameter : this.tracedMethod.getParameterAttributes()) {
			if (parameter.key().equals(CONVERSATION_ID)) {
				Object argument = this.arguments[parameter.index()];
				return (argument != null) ? ParameterAttribute.toString(argument) : null;
			}
		}
		return this.conversationId;
	}

	/**
	 * The conversation noted from chat memory, which the run's span carries unless the
	 * application names one itself.
	 * @return the conversation id, or {@code null}
	 */
	public @Nullable String getChatMemoryConversationId() {
		return this.conversationId;
	}

}
